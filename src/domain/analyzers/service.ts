import type { Endpoints, Service } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { selectorNearMiss, type SelectorMiss } from '../selector-near-miss.js';
import { POD_TEMPLATE_HASH_LABEL, revisionOf, selectorMatches } from '../workload.js';
import { analysisContext, rollbackFixes, type AnalysisContext } from './context.js';

const labelText = (labels: Record<string, string> | undefined) =>
  Object.entries(labels ?? {})
    .filter(([k]) => k !== POD_TEMPLATE_HASH_LABEL)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
const readyAddresses = (ep: Endpoints) => (ep.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
const anyAddresses = (ep: Endpoints | undefined) => (ep?.subsets ?? []).some((s) => (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0) > 0);

/**
 * Services that should reach this deployment's pods and reach none: a
 * selector one label off the pods' labels (SERVICE_SELECTOR_MISMATCH), or a
 * Service that selected an earlier revision and has no ready endpoint now.
 */
export function analyzeServices(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  if ((ctx.deployment.spec?.replicas ?? 1) === 0) return [];
  const labels = ctx.deployment.spec?.template?.metadata?.labels;
  return [...snapshot.services]
    .sort((a, b) => (a.service.metadata?.name ?? '').localeCompare(b.service.metadata?.name ?? ''))
    .map(({ service, endpoints }) => {
      const miss = service.spec?.selector && !anyAddresses(endpoints) ? selectorNearMiss(service.spec.selector, labels) : undefined;
      if (miss) return mismatchFinding(ctx, service, miss);
      return endpoints && readyAddresses(endpoints) === 0 ? serviceFinding(ctx, service, endpoints) : undefined;
    })
    .filter((f): f is Finding => f !== undefined);
}

function mismatchFinding(ctx: AnalysisContext, service: Service, miss: SelectorMiss): Finding {
  const name = service.metadata?.name ?? '';
  const selector = service.spec!.selector!;
  const labels = ctx.deployment.spec?.template?.metadata?.labels;
  const pods = miss.have !== undefined ? `${miss.key}=${miss.have}` : miss.similarKey ? `${miss.similarKey}=${miss.want} (no ${miss.key})` : `no label ${miss.key}`;
  const matched = ctx.snapshot.replicaSets
    .filter((rs) => revisionOf(rs) > 0 && revisionOf(rs) !== ctx.revision && selectorMatches(selector, rs.spec?.template?.metadata?.labels))
    .map(revisionOf)
    .sort((a, b) => b - a)[0];
  const since = matched !== undefined ? ` Revision ${matched}'s pods matched it; revision ${ctx.revision} changed the label.` : '';
  const fixed = miss.have !== undefined ? { [miss.key]: miss.have } : miss.similarKey ? { [miss.key]: null, [miss.similarKey]: miss.want } : { [miss.key]: null };
  const rollback = matched !== undefined && !ctx.deployment.spec?.paused ? [{ kind: 'rollback' as const, title: `Roll back to revision ${matched} (its pods match the selector)`, toRevision: matched }] : [];
  return {
    code: 'SERVICE_SELECTOR_MISMATCH',
    severity: 'critical',
    title: `Service ${name} selects ${miss.key}=${miss.want}; the pods have ${pods}`,
    summary: `Service ${name} selects ${labelText(selector)}, one label off the pods of ${ctx.name} (${pods}), so it selects no pod at all and its traffic is dropped.${since} Align the selector with the labels (or the labels with the selector).`,
    evidence: [
      { kind: 'service', name: `service/${name}`, detail: `selector ${labelText(selector)}; endpoints: none` },
      { kind: 'spec', name: `deployment/${ctx.name}`, detail: `revision ${ctx.revision} pod labels: ${labelText(labels)}` },
    ],
    fixes: [
      ...rollback,
      { kind: 'manual', title: `Point service ${name} at the pods' labels`, command: `kubectl patch service ${name} -n ${ctx.namespace} -p '${JSON.stringify({ spec: { selector: fixed } })}'` },
    ],
    pods: [],
  };
}

function serviceFinding(ctx: AnalysisContext, service: Service, endpoints: Endpoints): Finding | undefined {
  const selector = service.spec?.selector;
  if (!selector || !Object.keys(selector).length) return undefined;
  const revisions = ctx.snapshot.replicaSets
    .filter((rs) => revisionOf(rs) > 0 && selectorMatches(selector, rs.spec?.template?.metadata?.labels))
    .map((rs) => ({ revision: revisionOf(rs), labels: rs.spec?.template?.metadata?.labels }))
    .sort((a, b) => b.revision - a.revision);
  if (!revisions.length) return undefined;
  const name = service.metadata?.name ?? '';
  const current = ctx.deployment.spec?.template?.metadata?.labels;
  const relabelled = !selectorMatches(selector, current);
  // Pods that match and are available but are not listed yet: the endpoints controller is behind, not a fault.
  if (!relabelled && (ctx.deployment.status?.availableReplicas ?? 0) > 0) return undefined;
  const notReady = (endpoints.subsets ?? []).reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  const evidence: Evidence[] = [
    { kind: 'service', name: `service/${name}`, detail: `selector ${labelText(selector)}; endpoints: 0 ready${notReady ? `, ${notReady} not ready` : ''}` },
    { kind: 'spec', name: `deployment/${ctx.name}`, detail: `revision ${ctx.revision} pod labels: ${labelText(current)}` },
  ];
  const target = revisions[0]!;
  if (relabelled) evidence.push({ kind: 'spec', name: `deployment/${ctx.name}`, detail: `revision ${target.revision} pod labels: ${labelText(target.labels)}` });
  const differing = Object.entries(selector)
    .filter(([k, v]) => current?.[k] !== v)
    .map(([k, v]) => `${k}=${v} → ${current?.[k] === undefined ? '(removed)' : `${k}=${current[k]}`}`);
  const summary = relabelled
    ? `Service ${name} selects ${labelText(selector)}, but revision ${ctx.revision} changed the pod labels (${differing.join(', ')}), so the service has no endpoints and its traffic is dropped. Roll back to revision ${target.revision}, or align the labels and the selector.`
    : `Service ${name} has no ready endpoints: none of ${ctx.name}'s pods are ready, so its traffic is dropped.`;
  // The rollback that restores the labels, which may differ from the last healthy revision when the relabel itself rolled out fine.
  const rollback = relabelled && target.revision !== ctx.revision
    ? [{ kind: 'rollback' as const, title: `Roll back to revision ${target.revision} (its pods match the selector)`, toRevision: target.revision }]
    : rollbackFixes(ctx);
  return {
    code: 'SERVICE_NO_ENDPOINTS',
    severity: 'critical',
    title: `Service ${name} has no endpoints`,
    summary,
    evidence,
    fixes: ctx.deployment.spec?.paused ? [] : rollback,
    pods: [],
  };
}
