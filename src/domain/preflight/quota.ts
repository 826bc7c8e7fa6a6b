import type { Container, Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { formatBytes, formatCpu, parseQuantity } from '../quantity.js';

/**
 * The ResourceQuota admission plugin's verdict on creating one pod, in the
 * apiserver's words: "pods "x" is forbidden: exceeded quota: q, requested:
 * ..., used: ..., limited: ..." or "failed quota: q: must specify ...".
 * Scoped quotas and object counts other than pods are not modelled.
 */
export type Usage = Record<string, number>;

const requestOf = (c: Container, r: 'cpu' | 'memory') => parseQuantity(c.resources?.requests?.[r] ?? c.resources?.limits?.[r]) ?? 0;
const limitOf = (c: Container, r: 'cpu' | 'memory') => parseQuantity(c.resources?.limits?.[r]) ?? 0;

/** What a pod counts against a quota: containers (and sidecars), or the largest init container when more. */
export function podQuotaUsage(pod: Pod): Usage {
  const s = pod.spec;
  const running = [...(s?.containers ?? []), ...(s?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  const inits = (s?.initContainers ?? []).filter((c) => c.restartPolicy !== 'Always');
  const of = (value: (c: Container) => number) => Math.max(running.reduce((n, c) => n + value(c), 0), ...inits.map(value), 0);
  const u: Usage = {
    pods: 1,
    'count/pods': 1,
    'requests.cpu': of((c) => requestOf(c, 'cpu')),
    'requests.memory': of((c) => requestOf(c, 'memory')),
    'limits.cpu': of((c) => limitOf(c, 'cpu')),
    'limits.memory': of((c) => limitOf(c, 'memory')),
  };
  u.cpu = u['requests.cpu']!;
  u.memory = u['requests.memory']!;
  return u;
}

export const countsAgainstQuota = (pod: Pod): boolean => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;

export function addUsage(total: Usage, u: Usage, sign = 1): Usage {
  const out = { ...total };
  for (const [k, v] of Object.entries(u)) out[k] = (out[k] ?? 0) + sign * v;
  return out;
}

export const sumUsage = (pods: Pod[]): Usage => pods.filter(countsAgainstQuota).reduce((t, p) => addUsage(t, podQuotaUsage(p)), {} as Usage);

const show = (resource: string, v: number) => (resource.endsWith('memory') || resource.endsWith('storage') ? formatBytes(v) : resource.endsWith('cpu') ? formatCpu(v) : String(v));

/** Resources a quota can constrain that each container must then declare. */
const MUST_SPECIFY: Record<string, (c: Container) => boolean> = {
  'requests.cpu': (c) => c.resources?.requests?.cpu !== undefined || c.resources?.limits?.cpu !== undefined,
  cpu: (c) => c.resources?.requests?.cpu !== undefined || c.resources?.limits?.cpu !== undefined,
  'requests.memory': (c) => c.resources?.requests?.memory !== undefined || c.resources?.limits?.memory !== undefined,
  memory: (c) => c.resources?.requests?.memory !== undefined || c.resources?.limits?.memory !== undefined,
  'limits.cpu': (c) => c.resources?.limits?.cpu !== undefined,
  'limits.memory': (c) => c.resources?.limits?.memory !== undefined,
};

/** Why the quotas refuse the pod given what the namespace uses now, or undefined when they admit it. */
export function quotaRefusal(quotas: ResourceQuota[], used: Usage, pod: Pod): string | undefined {
  const requested = podQuotaUsage(pod);
  const forbidden = (why: string) => `pods "${pod.metadata?.name}" is forbidden: ${why}`;
  for (const quota of [...quotas].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    const hard = quota.spec?.hard ?? {};
    const missing = Object.keys(hard)
      .filter((r) => MUST_SPECIFY[r])
      .map((r) => {
        const lacking = (pod.spec?.containers ?? []).filter((c) => !MUST_SPECIFY[r]!(c)).map((c) => c.name);
        return lacking.length ? `${r} for: ${lacking.join(',')}` : '';
      })
      .filter(Boolean)
      .sort();
    if (missing.length) return forbidden(`failed quota: ${quota.metadata?.name}: must specify ${missing.join('; ')}`);
    const exceeded = Object.keys(hard)
      .filter((r) => (requested[r] ?? 0) > 0 && (used[r] ?? 0) + requested[r]! > (parseQuantity(hard[r]) ?? Infinity))
      .sort();
    if (exceeded.length) {
      const list = (value: (r: string) => string) => exceeded.map((r) => `${r}=${value(r)}`).join(',');
      return forbidden(`exceeded quota: ${quota.metadata?.name}, requested: ${list((r) => show(r, requested[r]!))}, used: ${list((r) => show(r, used[r] ?? 0))}, limited: ${list((r) => hard[r]!)}`);
    }
  }
  return undefined;
}
