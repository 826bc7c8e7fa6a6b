import { rolloutFailureSignals, startupAllowanceSeconds, type FailureSignal } from '../failure-signals.js';
import type { Evidence, Finding } from '../finding.js';
import { plural } from '../finding.js';
import type { AnalysisContext } from './context.js';
import { capitalise, groupBy, podsPhrase, rollbackFixes, uniqueSorted } from './context.js';

const isCause = (f: Finding) => (f.severity === 'critical' || f.severity === 'error') && f.code !== 'PROGRESS_DEADLINE_EXCEEDED';

const EVIDENCE_KIND: Record<FailureSignal['kind'], Evidence['kind']> = {
  'replica-failure': 'condition',
  'failed-create': 'event',
  unschedulable: 'condition',
  waiting: 'status',
  terminated: 'status',
  'warning-event': 'event',
  'not-ready': 'condition',
};

const evidenceOf = (s: FailureSignal): Evidence => ({ kind: EVIDENCE_KIND[s.kind], name: s.object, detail: `${s.container ? `container ${s.container}: ` : ''}${s.reason}${s.message ? `: ${s.message}` : ''}` });

/**
 * Never silent: while the rollout is not complete, every failure signal of
 * the new revision is explained by a cause the specific analyzers found
 * (a pod signal by a finding about that pod), or it becomes a finding of
 * its own that quotes the cluster: UNRECOGNIZED_FAILURE, or POD_NOT_READY
 * for a pod that simply never became ready.
 */
export function unexplainedSignalFindings(ctx: AnalysisContext, findings: Finding[]): Finding[] {
  const causes = findings.filter(isCause);
  const explained = (s: FailureSignal) => (s.pod ? causes.some((f) => f.pods.includes(s.pod!)) : causes.length > 0);
  const open = rolloutFailureSignals(ctx.snapshot, new Date(ctx.now)).filter((s) => !explained(s));
  const said = open.filter((s) => s.kind !== 'not-ready');
  const out = [...groupBy(said, (s) => `${s.reason}\u0000${s.container ?? ''}`).values()].map((group) => unrecognizedFinding(ctx, group));
  const quoted = new Set(said.map((s) => s.pod));
  const unready = open.filter((s) => s.kind === 'not-ready' && !quoted.has(s.pod));
  if (unready.length) out.push(notReadyFinding(ctx, unready));
  return out;
}

function unrecognizedFinding(ctx: AnalysisContext, group: FailureSignal[]): Finding {
  const first = group[0]!;
  const pods = uniqueSorted(group.map((s) => s.pod ?? '').filter(Boolean));
  const where = pods.length ? podsPhrase(pods) : first.object;
  const what = first.container ? `container ${first.container} on ${where}` : where;
  return {
    code: 'UNRECOGNIZED_FAILURE',
    severity: ctx.impact,
    title: `${first.reason}${first.container ? ` (container ${first.container})` : ''} on ${where}`,
    summary: `The cluster reports ${first.reason} for ${what}${first.message ? `: "${first.message}"` : ''}. No specific diagnosis covers this; the cluster's words above are the lead.`,
    evidence: group.map(evidenceOf),
    fixes: [...rollbackFixes(ctx), { kind: 'manual', title: `Inspect ${first.object}`, command: `kubectl describe ${first.object.replace('/', ' ')} -n ${ctx.namespace}` }],
    pods,
  };
}

function notReadyFinding(ctx: AnalysisContext, group: FailureSignal[]): Finding {
  const first = group[0]!;
  const pods = uniqueSorted(group.map((s) => s.pod!));
  const pod = ctx.pods.find((p) => p.metadata?.name === first.pod);
  const allowance = pod ? startupAllowanceSeconds(pod, ctx.deployment.spec?.minReadySeconds) : undefined;
  const states = (pod?.status?.containerStatuses ?? []).map((c): Evidence => ({
    kind: 'status',
    name: first.object,
    detail: `container ${c.name}: ${Object.keys(c.state ?? {})[0] ?? 'unknown'}${c.state?.waiting?.reason ? ` ${c.state.waiting.reason}` : ''}, ready=${c.ready}, ${plural(c.restartCount ?? 0, 'restart')}`,
  }));
  return {
    code: 'POD_NOT_READY',
    severity: ctx.impact,
    title: `${capitalise(podsPhrase(pods))} of revision ${ctx.revision} not ready after ${allowance ?? '?'}s`,
    summary: `${capitalise(podsPhrase(pods))} of revision ${ctx.revision} ${pods.length === 1 ? 'has' : 'have'} not become ready within the start-up allowance (${allowance ?? '?'}s: probe delays, minReadySeconds and time to pull and start), and the cluster reports nothing else: ${first.reason}${first.message ? `: "${first.message}"` : ''}.`,
    evidence: [...group.map(evidenceOf), ...states],
    fixes: [...rollbackFixes(ctx), { kind: 'manual', title: `Inspect ${first.object}`, command: `kubectl describe pod ${first.pod} -n ${ctx.namespace}` }],
    pods,
  };
}
