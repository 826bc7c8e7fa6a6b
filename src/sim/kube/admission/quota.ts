import type { Container, Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../../domain/quantity.js';
import { formatQuotaValue, podUsage, sumUsage } from '../quota-usage.js';
import { resourceOfKind } from '../resources.js';
import { StatusError } from '../status-error.js';
import type { AdmissionHook } from '../store.js';

const QUOTAS = resourceOfKind('ResourceQuota');
const PODS = resourceOfKind('Pod');

/** Resources a quota can constrain that each container must then declare. */
const MUST_SPECIFY: Record<string, (c: Container) => boolean> = {
  'requests.cpu': (c) => c.resources?.requests?.cpu !== undefined || c.resources?.limits?.cpu !== undefined,
  cpu: (c) => c.resources?.requests?.cpu !== undefined || c.resources?.limits?.cpu !== undefined,
  'requests.memory': (c) => c.resources?.requests?.memory !== undefined || c.resources?.limits?.memory !== undefined,
  memory: (c) => c.resources?.requests?.memory !== undefined || c.resources?.limits?.memory !== undefined,
  'limits.cpu': (c) => c.resources?.limits?.cpu !== undefined,
  'limits.memory': (c) => c.resources?.limits?.memory !== undefined,
};

/** The ResourceQuota admission plugin for pod creation, with the apiserver's messages. */
export const enforceQuota: AdmissionHook = (obj, { op, store }) => {
  if (op !== 'create' || obj.kind !== 'Pod') return;
  const pod = obj as unknown as Pod;
  const namespace = obj.metadata.namespace!;
  const quotas = store.list(QUOTAS, { namespace }).map((q) => q as unknown as ResourceQuota);
  if (!quotas.length) return;
  const requested = podUsage(pod);
  const used = sumUsage(store.list(PODS, { namespace }).map((p) => p as unknown as Pod));
  const forbidden = (why: string) =>
    new StatusError(403, 'Forbidden', `pods "${obj.metadata.name}" is forbidden: ${why}`, { name: obj.metadata.name, kind: 'pods' });

  for (const quota of quotas) {
    const hard = (quota.spec?.hard ?? {}) as Record<string, string>;
    const missing = Object.keys(hard)
      .filter((r) => MUST_SPECIFY[r])
      .map((r) => {
        const lacking = (pod.spec?.containers ?? []).filter((c) => !MUST_SPECIFY[r]!(c)).map((c) => c.name);
        return lacking.length ? `${r} for: ${lacking.join(',')}` : '';
      })
      .filter(Boolean)
      .sort();
    if (missing.length) throw forbidden(`failed quota: ${quota.metadata!.name}: must specify ${missing.join('; ')}`);
    const exceeded = Object.keys(hard)
      .filter((r) => requested[r] !== undefined && requested[r]! > 0)
      .filter((r) => (used[r] ?? 0) + requested[r]! > (parseQuantity(hard[r]) ?? Infinity))
      .sort();
    if (exceeded.length) {
      const list = (values: (r: string) => string) => exceeded.map((r) => `${r}=${values(r)}`).join(',');
      throw forbidden(
        `exceeded quota: ${quota.metadata!.name}, requested: ${list((r) => formatQuotaValue(r, requested[r]!))}, used: ${list((r) => formatQuotaValue(r, used[r] ?? 0))}, limited: ${list((r) => hard[r]!)}`,
      );
    }
  }
};
