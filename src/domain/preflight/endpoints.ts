import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import { selectorMatches } from '../workload.js';

/**
 * The Services as they would stand once the new pods replace the current
 * ones: a Service that selects the new template keeps its endpoints (the
 * new pods join as they become ready); one that does not loses this
 * deployment's pods and keeps only other backends.
 */
export function servicesAfterRollout(services: Array<{ service: Service; endpoints?: Endpoints }>, newLabels: Record<string, string> | undefined, replaced: Pod[]): Array<{ service: Service; endpoints?: Endpoints }> {
  const ours = new Set(replaced.map((p) => p.metadata?.name));
  return services.map(({ service, endpoints }) => {
    const selector = service.spec?.selector;
    if (!selector || !Object.keys(selector).length || selectorMatches(selector, newLabels)) return { service, endpoints };
    const keep = (addresses: NonNullable<Endpoints['subsets']>[number]['addresses']) => (addresses ?? []).filter((a) => !(a.targetRef?.kind === 'Pod' && ours.has(a.targetRef.name)));
    const subsets = (endpoints?.subsets ?? [])
      .map((s) => ({ ...s, addresses: keep(s.addresses), notReadyAddresses: keep(s.notReadyAddresses) }))
      .filter((s) => s.addresses.length + s.notReadyAddresses.length > 0);
    return { service, endpoints: { ...(endpoints ?? { metadata: { name: service.metadata?.name, namespace: service.metadata?.namespace } }), subsets } };
  });
}
