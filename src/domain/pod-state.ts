import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';

/** Init containers first, as the kubelet runs them. */
export function containerStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

/** The pod's Ready condition is True: what Endpoints and the deployment controller count. */
export function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** The most restarts of any one container, init containers included. */
export function podRestarts(pod: Pod): number {
  return Math.max(0, ...containerStatuses(pod).map((c) => c.restartCount ?? 0));
}

/** Ready and never restarted: nothing about this pod needs reading. */
export const podHealthy = (pod: Pod): boolean => podReady(pod) && podRestarts(pod) === 0;
