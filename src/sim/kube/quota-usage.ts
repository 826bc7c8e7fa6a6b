import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatBytes, formatCpu, parseQuantity } from '../../domain/quantity.js';

/** The quota resource names a pod consumes, with cpu/memory as aliases of requests.*. */
export function podUsage(pod: Pod): Record<string, number> {
  const u: Record<string, number> = { pods: 1, 'count/pods': 1, 'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0 };
  for (const c of pod.spec?.containers ?? []) {
    const r = c.resources ?? {};
    u['requests.cpu']! += parseQuantity((r.requests?.cpu ?? r.limits?.cpu) as string | undefined) ?? 0;
    u['requests.memory']! += parseQuantity((r.requests?.memory ?? r.limits?.memory) as string | undefined) ?? 0;
    u['limits.cpu']! += parseQuantity(r.limits?.cpu as string | undefined) ?? 0;
    u['limits.memory']! += parseQuantity(r.limits?.memory as string | undefined) ?? 0;
  }
  u.cpu = u['requests.cpu']!;
  u.memory = u['requests.memory']!;
  return u;
}

export const countsAgainstQuota = (pod: Pod): boolean => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.metadata?.deletionTimestamp;

export function sumUsage(pods: Pod[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const p of pods.filter(countsAgainstQuota)) for (const [k, v] of Object.entries(podUsage(p))) total[k] = (total[k] ?? 0) + v;
  return total;
}

/** A quantity the way the quota messages print it: "2Gi", "500m", "3". */
export function formatQuotaValue(resource: string, value: number): string {
  if (resource.endsWith('memory') || resource.endsWith('storage')) return formatBytes(value);
  if (resource.endsWith('cpu')) return formatCpu(value);
  return String(value);
}
