import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding, Fix } from '../finding.js';
import { formatBytes, formatCpu, parseQuantity } from '../quantity.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { maxUnavailable, selectorMatches } from '../workload.js';
import { analysisContext, capitalise, eventsAbout, groupBy, latestEventEvidence, podsPhrase, rollbackFixes, uniqueSorted, type AnalysisContext } from './context.js';

export interface Unschedulable {
  pod: Pod;
  name: string;
  message: string;
  /** "3 Insufficient memory" → {"Insufficient memory": 3}, from the FitError histogram. */
  reasons: Map<string, number>;
}

/**
 * The scheduler's FitError (k8s-fidelity §3.2) up to the preemption part:
 * "0/4 nodes are available: 1 a, 3 b." A PreFilter rejection carries no
 * count ("0/6 nodes are available: persistentvolumeclaim "x" not found."):
 * it applies to every node.
 */
export function fitReasons(message: string): Map<string, number> {
  const head = message.split(' preemption:')[0]!;
  const m = /0\/(\d+) nodes are available: (.*)$/.exec(head);
  const out = new Map<string, number>();
  for (const part of (m?.[2]?.replace(/\.$/, '') ?? '').split(', ')) {
    const counted = /^(\d+) (.+)$/.exec(part.trim());
    if (counted) out.set(counted[2]!, Number(counted[1]));
    else if (part.trim()) out.set(part.trim(), Number(m![1]));
  }
  return out;
}

/** Scheduler reasons about volumes: the claims family explains them. */
export const isVolumeReason = (reason: string): boolean => /persistentvolumeclaim|PersistentVolumeClaims|persistent volumes to bind|volume node affinity conflict/i.test(reason);

const TAINT_REASON = /^node\(s\) had untolerated taint \{(.*?): (.*)\}$/;

/** Pods of the failing revision the scheduler could not place, with its last word on each. */
export function unschedulablePods(ctx: AnalysisContext): Unschedulable[] {
  const stuck: Unschedulable[] = [];
  for (const pod of ctx.pods) {
    if (pod.spec?.nodeName) continue;
    const name = pod.metadata?.name ?? '';
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
    const message = eventsAbout(ctx, 'Pod', name, 'FailedScheduling').at(-1)?.message ?? cond?.message;
    if (message) stuck.push({ pod, name, message, reasons: fitReasons(message) });
  }
  return stuck;
}

/** The resource a FitError reason says nodes lack ("Insufficient memory" → "memory", "Too many pods" → "pods"). */
export function shortResource(reason: string): string | undefined {
  if (reason === 'Too many pods') return 'pods';
  return reason.startsWith('Insufficient ') ? reason.slice('Insufficient '.length) : undefined;
}

const SELECTOR_REASON = "node(s) didn't match Pod's node affinity/selector";

/** Pods of the failing revision the scheduler cannot place: short of resources, no matching node, a taint, or any other reason it gives. */
export function analyzeScheduling(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const stuck = unschedulablePods(ctx);
  const findings: Finding[] = [];
  const claimed = new Set<Unschedulable>();
  const claim = (group: Unschedulable[], finding: (g: Unschedulable[]) => Finding) => {
    if (!group.length) return;
    group.forEach((u) => claimed.add(u));
    findings.push(finding(group));
  };
  claim(stuck.filter((u) => [...u.reasons.keys()].some((r) => shortResource(r) !== undefined)), (g) => resourcesFinding(ctx, g));
  const tainted = stuck.map((u) => ({ u, taints: blockingTaints(ctx.snapshot.nodes, u) })).filter((t) => t.taints.length);
  for (const group of groupBy(tainted, (t) => t.taints.map((x) => x.text).join()).values()) claim(group.map((t) => t.u), (g) => taintFinding(ctx, g, group[0]!.taints));
  claim(stuck.filter((u) => u.reasons.has(SELECTOR_REASON) && !claimed.has(u) && !selectorMatchesSomeNode(ctx.snapshot.nodes, u.pod)), (g) => selectorFinding(ctx, g));
  // Anything else the scheduler said, quoted; volume reasons have their own family.
  const other = stuck.filter((u) => !claimed.has(u) && ![...u.reasons.keys()].some(isVolumeReason) && !isVolumeReason(u.message));
  for (const group of groupBy(other, (u) => otherReasons(u).join(', ') || u.message).values()) claim(group, (g) => otherFinding(ctx, g));
  return findings;
}

interface Taint {
  key: string;
  value: string;
  effect: string;
  text: string;
  nodes: Node[];
}

const tolerates = (pod: Pod, key?: string, value?: string) =>
  (pod.spec?.tolerations ?? []).some((t) => (t.operator === 'Exists' ? !t.key || t.key === key : t.key === key && (t.value ?? '') === (value ?? '')));

const untoleratedTaints = (n: Node, pod: Pod) => (n.spec?.taints ?? []).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(pod, t.key, t.value));

const selectorMatchesSomeNode = (nodes: Node[], pod: Pod) => nodes.some((n) => selectorMatches(pod.spec?.nodeSelector ?? {}, n.metadata?.labels));

/**
 * The taints that keep a pod off the only nodes it selects: every node
 * matching its nodeSelector (all nodes, without one) carries a taint it does
 * not tolerate. A taint on nodes the pod would not use anyway (the control
 * plane, beside workers short of memory) explains nothing.
 */
function blockingTaints(nodes: Node[], u: Unschedulable): Taint[] {
  const said = [...u.reasons.keys()].map((r) => TAINT_REASON.exec(r)).filter((m): m is RegExpExecArray => m !== null);
  if (!said.length) return [];
  const matching = nodes.filter((n) => !n.spec?.unschedulable && selectorMatches(u.pod.spec?.nodeSelector ?? {}, n.metadata?.labels)).sort((a, b) => nodeName(a).localeCompare(nodeName(b)));
  if (!matching.length || matching.some((n) => !untoleratedTaints(n, u.pod).length)) return [];
  return said
    .map(([, key, value]) => {
      const on = matching.filter((n) => untoleratedTaints(n, u.pod).some((t) => t.key === key && (t.value ?? '') === value));
      const effect = on[0]?.spec?.taints?.find((t) => t.key === key)?.effect ?? 'NoSchedule';
      return { key: key!, value: value!, effect, text: `${key}${value ? `=${value}` : ''}:${effect}`, nodes: on };
    })
    .filter((t) => t.nodes.length);
}

const nodeName = (n: Node) => n.metadata?.name ?? '';

function taintFinding(ctx: AnalysisContext, group: Unschedulable[], taints: Taint[]): Finding {
  const first = group[0]!;
  const pods = uniqueSorted(group.map((u) => u.name));
  const selector = Object.entries(first.pod.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  const tolerations = taints.map((t) => (t.value ? { key: t.key, operator: 'Equal', value: t.value, effect: t.effect } : { key: t.key, operator: 'Exists', effect: t.effect }));
  const nodes = uniqueSorted(taints.flatMap((t) => t.nodes.map(nodeName)));
  const evidence: Evidence[] = [
    ...latestEventEvidence(eventsAbout(ctx, 'Pod', first.name, 'FailedScheduling')),
    { kind: 'spec', name: `deployment/${ctx.name}`, detail: `nodeSelector: ${selector || '(none)'}; tolerations: ${JSON.stringify(ctx.deployment.spec?.template?.spec?.tolerations ?? [])}` },
    ...taints.flatMap((t) => t.nodes.map((n): Evidence => ({ kind: 'node', name: `node/${nodeName(n)}`, detail: `taint ${t.text}` }))),
  ];
  const patch = JSON.stringify({ spec: { template: { spec: { tolerations: [...(ctx.deployment.spec?.template?.spec?.tolerations ?? []), ...tolerations] } } } });
  const shown = taints.map((t) => t.text).join(', ');
  return {
    code: 'UNTOLERATED_TAINT',
    severity: ctx.impact,
    title: `Pods do not tolerate the taint ${shown} of the nodes they select`,
    summary: `${capitalise(podsPhrase(pods))} cannot be scheduled: the only nodes ${selector ? `matching nodeSelector ${selector}` : 'in the cluster'} (${nodes.join(', ')}) carry the taint ${shown}, which the pod template does not tolerate. Add the toleration ${tolerations.map((t) => JSON.stringify(t)).join(', ')}${selector ? ', select another node pool' : ''}, or roll back.`,
    evidence,
    fixes: [{ kind: 'manual', title: `Tolerate ${shown}`, command: `kubectl patch deployment ${ctx.name} -n ${ctx.namespace} --type=strategic -p '${patch}'` }, ...rollbackFixes(ctx)],
    pods,
  };
}

/** Reasons that belong to no other family, as the scheduler wrote them. */
const otherReasons = (u: Unschedulable) => [...u.reasons].filter(([r]) => !TAINT_REASON.test(r)).map(([r, n]) => `${n} ${r}`);

function otherFinding(ctx: AnalysisContext, group: Unschedulable[]): Finding {
  const first = group[0]!;
  const pods = uniqueSorted(group.map((u) => u.name));
  const said = otherReasons(first).join(', ') || first.message;
  const fixes: Fix[] = [];
  // A required anti-affinity against its own pods leaves no node for a surge pod when every node runs one already.
  const selfAntiAffinity = (first.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some((t) => selectorMatches(t.labelSelector?.matchLabels ?? {}, first.pod.metadata?.labels));
  let hint = '';
  if (selfAntiAffinity && /anti-affinity/.test(said) && maxUnavailable(ctx.deployment) === 0) {
    hint = ' The template\'s required pod anti-affinity allows one pod per node and every node already runs one, so the surge pod has nowhere to go: let an old pod go first (maxUnavailable: 1), add a node, or make the anti-affinity preferred.';
    const patch = JSON.stringify({ spec: { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } } });
    fixes.push({ kind: 'manual', title: 'Replace pods one at a time (maxSurge 0, maxUnavailable 1)', command: `kubectl patch deployment ${ctx.name} -n ${ctx.namespace} -p '${patch}'` });
  }
  return {
    code: 'UNSCHEDULABLE',
    severity: ctx.impact,
    title: `Pods unschedulable: ${said}`,
    summary: `The scheduler cannot place ${podsPhrase(pods)}: "${first.message}".${hint}`,
    evidence: [
      ...latestEventEvidence(eventsAbout(ctx, 'Pod', first.name, 'FailedScheduling')),
      ...(first.pod.spec?.affinity ? [{ kind: 'spec' as const, name: `deployment/${ctx.name}`, detail: `affinity: ${JSON.stringify(first.pod.spec.affinity)}` }] : []),
    ].concat(eventsAbout(ctx, 'Pod', first.name, 'FailedScheduling').length ? [] : [{ kind: 'condition', name: `pod/${first.name}`, detail: `PodScheduled False Unschedulable: ${first.message}` }]),
    fixes: [...fixes, ...rollbackFixes(ctx)],
    pods,
  };
}

/** Nodes a pod could use at all: schedulable and without a NoSchedule/NoExecute taint it does not tolerate. */
function eligibleNodes(nodes: Node[], pod: Pod): Node[] {
  return nodes.filter((n) => !n.spec?.unschedulable && !untoleratedTaints(n, pod).length);
}

function podRequest(pod: Pod, resource: string): number {
  if (resource === 'pods') return 1;
  return (pod.spec?.containers ?? []).reduce((sum, c) => sum + (parseQuantity(c.resources?.requests?.[resource]) ?? 0), 0);
}

const show = (resource: string, v: number) => (resource === 'cpu' ? formatCpu(v) : resource === 'pods' ? String(v) : formatBytes(v));

function resourcesFinding(ctx: AnalysisContext, group: Unschedulable[]): Finding {
  const first = group[0]!;
  const pods = uniqueSorted(group.map((u) => u.name));
  const container = first.pod.spec?.containers[0]?.name ?? '';
  const resources = uniqueSorted(group.flatMap((u) => [...u.reasons.keys()].map(shortResource).filter((r): r is string => r !== undefined)));
  const nodes = eligibleNodes(ctx.snapshot.nodes, first.pod).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const facts = resources.map((r) => {
    const request = podRequest(first.pod, r);
    let largest: { node: string; value: number } | undefined;
    for (const n of nodes) {
      const value = parseQuantity(n.status?.allocatable?.[r]) ?? 0;
      if (!largest || value > largest.value) largest = { node: n.metadata?.name ?? '', value };
    }
    return { r, request, largest, never: largest !== undefined && request > largest.value };
  });
  const evidence: Evidence[] = [
    ...latestEventEvidence(eventsAbout(ctx, 'Pod', first.name, 'FailedScheduling')),
    { kind: 'spec', name: `deployment/${ctx.name}`, detail: `pod requests: ${facts.map((f) => `${f.r}=${show(f.r, f.request)}`).join(', ')}` },
    ...facts.filter((f) => f.largest).map((f): Evidence => ({ kind: 'node', name: `node/${f.largest!.node}`, detail: `largest allocatable ${f.r} among ${nodes.length} usable nodes: ${show(f.r, f.largest!.value)}` })),
  ];
  const never = facts.filter((f) => f.never);
  const words = facts.map((f) => `${show(f.r, f.request)} ${f.r}`).join(' and ');
  const summary = never.length
    ? `Each pod requests ${words}, but the largest node offers only ${never.map((f) => `${show(f.r, f.largest!.value)} ${f.r}`).join(' and ')}: ${podsPhrase(pods)} can never be scheduled. Lower the requests or roll back.`
    : `No node has ${words} free for ${podsPhrase(pods)} (the nodes could hold it when empty): add capacity, free room, or lower the requests.`;
  const fixes: Fix[] = never.map((f) => ({ kind: 'manual', title: `Lower ${container}'s ${f.r} request below ${show(f.r, f.largest!.value)} (the largest node's allocatable)` }));
  return {
    code: 'INSUFFICIENT_RESOURCES',
    severity: ctx.impact,
    title: `Pods unschedulable: insufficient ${resources.join(', ')}`,
    summary,
    evidence,
    fixes: [...fixes, ...rollbackFixes(ctx)],
    pods,
  };
}

function selectorFinding(ctx: AnalysisContext, group: Unschedulable[]): Finding {
  const first = group[0]!;
  const pods = uniqueSorted(group.map((u) => u.name));
  const selector = first.pod.spec?.nodeSelector ?? {};
  const nodes = eligibleNodes(ctx.snapshot.nodes, first.pod);
  // For every selector key: which values the nodes carry, so a typo or a missing node pool is obvious.
  const seen = Object.entries(selector)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => {
      const counts = new Map<string, number>();
      for (const n of nodes) {
        const value = n.metadata?.labels?.[k];
        if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      const values = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([value, n]) => `${value || '""'} (${n})`);
      return { k, v, text: values.length ? `nodes have ${k}=${values.join(', ')}` : `no usable node has the label ${k}` };
    });
  const affinity = first.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ? ' (and a required node affinity)' : '';
  const shown = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const evidence: Evidence[] = [
    ...latestEventEvidence(eventsAbout(ctx, 'Pod', first.name, 'FailedScheduling')),
    { kind: 'spec', name: `deployment/${ctx.name}`, detail: `nodeSelector: ${shown || '(none)'}${affinity}` },
    ...seen.map((s): Evidence => ({ kind: 'node', name: 'nodes', detail: s.text })),
  ];
  return {
    code: 'NODE_SELECTOR_MISMATCH',
    severity: ctx.impact,
    title: shown ? `No node matches nodeSelector ${shown}` : 'No node matches the pod node affinity',
    summary: `${capitalise(podsPhrase(pods))} cannot be scheduled: no usable node matches ${shown ? `nodeSelector ${shown}` : 'the node affinity'}${affinity}${seen.length ? ` (${seen.map((s) => s.text).join('; ')})` : ''}. Fix the selector, add matching nodes, or roll back.`,
    evidence,
    fixes: rollbackFixes(ctx),
    pods,
  };
}
