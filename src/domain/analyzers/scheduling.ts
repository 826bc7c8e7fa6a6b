import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding, Fix } from '../finding.js';
import { formatBytes, formatCpu, parseQuantity } from '../quantity.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, capitalise, eventsAbout, latestEventEvidence, podsPhrase, rollbackFixes, uniqueSorted, type AnalysisContext } from './context.js';

interface Unschedulable {
  pod: Pod;
  name: string;
  message: string;
  /** "3 Insufficient memory" → {"Insufficient memory": 3}, from the FitError histogram. */
  reasons: Map<string, number>;
}

/** The scheduler's FitError (k8s-fidelity §3.2) up to the preemption part: "0/4 nodes are available: 1 a, 3 b." */
export function fitReasons(message: string): Map<string, number> {
  const head = message.split(' preemption:')[0]!;
  const list = /nodes are available: (.*)$/.exec(head)?.[1]?.replace(/\.$/, '') ?? '';
  const out = new Map<string, number>();
  for (const part of list.split(', ')) {
    const m = /^(\d+) (.+)$/.exec(part.trim());
    if (m) out.set(m[2]!, Number(m[1]));
  }
  return out;
}

/** The resource a FitError reason says nodes lack ("Insufficient memory" → "memory", "Too many pods" → "pods"). */
export function shortResource(reason: string): string | undefined {
  if (reason === 'Too many pods') return 'pods';
  return reason.startsWith('Insufficient ') ? reason.slice('Insufficient '.length) : undefined;
}

const SELECTOR_REASON = "node(s) didn't match Pod's node affinity/selector";

/** Pods of the failing revision the scheduler cannot place. */
export function analyzeScheduling(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const stuck: Unschedulable[] = [];
  for (const pod of ctx.pods) {
    if (pod.spec?.nodeName) continue;
    const name = pod.metadata?.name ?? '';
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
    const message = eventsAbout(ctx, 'Pod', name, 'FailedScheduling').at(-1)?.message ?? cond?.message;
    if (message) stuck.push({ pod, name, message, reasons: fitReasons(message) });
  }
  const findings: Finding[] = [];
  const short = stuck.filter((u) => [...u.reasons.keys()].some((r) => shortResource(r) !== undefined));
  if (short.length) findings.push(resourcesFinding(ctx, short));
  const selector = stuck.filter((u) => u.reasons.has(SELECTOR_REASON));
  if (selector.length) findings.push(selectorFinding(ctx, selector));
  return findings;
}

/** Nodes a pod could use at all: schedulable and without a NoSchedule/NoExecute taint it does not tolerate. */
function eligibleNodes(nodes: Node[], pod: Pod): Node[] {
  const tolerates = (key?: string, value?: string) =>
    (pod.spec?.tolerations ?? []).some((t) => (t.operator === 'Exists' ? !t.key || t.key === key : t.key === key && (t.value ?? '') === (value ?? '')));
  return nodes.filter((n) => !n.spec?.unschedulable && !(n.spec?.taints ?? []).some((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(t.key, t.value)));
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
