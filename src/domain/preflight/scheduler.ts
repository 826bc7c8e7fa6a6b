import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Container, Node, NodeSelectorRequirement, PersistentVolumeClaim, Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { parseQuantity } from '../quantity.js';

/**
 * Where kube-scheduler would put a pod, or its FitError in its own words
 * ("0/4 nodes are available: 3 Insufficient memory, ..."): VolumeBinding's
 * PreFilter, then NodeUnschedulable, TaintToleration, NodeAffinity,
 * NodeResourcesFit and InterPodAffinity (required terms), least allocated
 * first. Pure: the placed pods are given.
 */
export interface SchedulingWorld {
  nodes: Node[];
  /** Pods holding a node, with it. */
  placed: Array<{ pod: Pod; node: string }>;
  claims: PersistentVolumeClaim[];
  classes: StorageClass[];
}

export type SchedulingResult = { node: string } | { message: string };

interface Usage {
  cpu: number;
  memory: number;
  pods: number;
}

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

const sum = (cs: Container[] | undefined, r: 'cpu' | 'memory') => (cs ?? []).reduce((n, c) => n + (parseQuantity(c.resources?.requests?.[r]) ?? 0), 0);
const maxOf = (cs: Container[] | undefined, r: 'cpu' | 'memory') => Math.max(0, ...(cs ?? []).filter((c) => c.restartPolicy !== 'Always').map((c) => parseQuantity(c.resources?.requests?.[r]) ?? 0));

/** What the scheduler reserves for a pod: its containers (and sidecars) or its largest init container, whichever is more, plus overhead. */
function podRequests(pod: Pod): { cpu: number; memory: number } {
  const s = pod.spec;
  const sidecars = (s?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  const of = (r: 'cpu' | 'memory') => Math.max(sum(s?.containers, r) + sum(sidecars, r), maxOf(s?.initContainers, r)) + (parseQuantity(s?.overhead?.[r]) ?? 0);
  return { cpu: of('cpu'), memory: of('memory') };
}

/** VolumeBinding's PreFilter: a missing claim, or an unbound one whose binding is immediate, fails the pod on every node. */
function volumePreFilter(pod: Pod, claims: PersistentVolumeClaim[], classes: StorageClass[]): string | undefined {
  let unboundImmediate = false;
  for (const v of pod.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const pvc = claims.find((c) => c.metadata?.name === name);
    if (!pvc) return `persistentvolumeclaim "${name}" not found`;
    if (pvc.metadata?.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (pvc.status?.phase === 'Bound') continue;
    const className = pvc.spec?.storageClassName ?? pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? classes.find((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true')?.metadata?.name;
    const sc = classes.find((c) => c.metadata?.name === className);
    if (!sc || sc.volumeBindingMode !== 'WaitForFirstConsumer') unboundImmediate = true;
  }
  return unboundImmediate ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

export function schedulePod(pod: Pod, world: SchedulingWorld): SchedulingResult {
  const n = world.nodes.length;
  if (n === 0) return { message: 'no nodes available to schedule pods' };
  const preFilter = volumePreFilter(pod, world.claims, world.classes);
  if (preFilter) return { message: `0/${n} nodes are available: ${preFilter}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.` };
  const byName = new Map(world.nodes.map((node) => [node.metadata?.name ?? '', node]));
  const used = new Map<string, Usage>();
  for (const p of world.placed) {
    const u = used.get(p.node) ?? { cpu: 0, memory: 0, pods: 0 };
    const r = podRequests(p.pod);
    used.set(p.node, { cpu: u.cpu + r.cpu, memory: u.memory + r.memory, pods: u.pods + 1 });
  }
  const placed = world.placed.flatMap((p) => (byName.has(p.node) ? [{ pod: p.pod, node: byName.get(p.node)! }] : []));
  const requests = podRequests(pod);
  const reasons = new Map<string, number>();
  let unresolvable = 0;
  const fits: Array<{ name: string; score: number }> = [];
  for (const node of world.nodes) {
    const name = node.metadata?.name ?? '';
    const u = used.get(name) ?? { cpu: 0, memory: 0, pods: 0 };
    const alloc = allocatable(node);
    const failure = filterNode(pod, requests, node, u, alloc, placed);
    if (!failure) {
      fits.push({ name, score: u.memory / Math.max(alloc.memory, 1) + u.cpu / Math.max(alloc.cpu, 1) });
      continue;
    }
    if (failure.unresolvable) unresolvable++;
    for (const r of failure.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  if (fits.length) return { node: fits.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))[0]!.name };
  const histogram = [...reasons].map(([r, c]) => `${c} ${r}`).sort().join(', ');
  const preemption = [...(n - unresolvable > 0 ? [`${n - unresolvable} No preemption victims found for incoming pod`] : []), ...(unresolvable > 0 ? [`${unresolvable} Preemption is not helpful for scheduling`] : [])].sort().join(', ');
  return { message: `0/${n} nodes are available: ${histogram}. preemption: 0/${n} nodes are available: ${preemption}.` };
}

function allocatable(node: Node): Usage {
  const a = node.status?.allocatable ?? node.status?.capacity ?? {};
  return { cpu: parseQuantity(a.cpu) ?? 0, memory: parseQuantity(a.memory) ?? 0, pods: parseQuantity(a.pods) ?? 110 };
}

interface FilterFailure {
  reasons: string[];
  unresolvable: boolean;
}

const unresolvable = (reason: string): FilterFailure => ({ reasons: [reason], unresolvable: true });

function filterNode(pod: Pod, requests: { cpu: number; memory: number }, node: Node, used: Usage, alloc: Usage, placed: Array<{ pod: Pod; node: Node }>): FilterFailure | undefined {
  if (node.spec?.unschedulable) return unresolvable('node(s) were unschedulable');
  const untolerated = (node.spec?.taints ?? []).find(
    (t) =>
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      !(pod.spec?.tolerations ?? []).some((tol) => (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')) && (!tol.effect || tol.effect === t.effect)),
  );
  if (untolerated) return unresolvable(`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`);
  if (!matchesNodeAffinity(pod, node)) return unresolvable("node(s) didn't match Pod's node affinity/selector");
  const reasons: string[] = [];
  if (used.pods + 1 > alloc.pods) reasons.push('Too many pods');
  if (requests.cpu > 0 && used.cpu + requests.cpu > alloc.cpu) reasons.push('Insufficient cpu');
  if (requests.memory > 0 && used.memory + requests.memory > alloc.memory) reasons.push('Insufficient memory');
  if (reasons.length) return { reasons, unresolvable: false };
  return interPodAffinity(pod, node, placed);
}

function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  if (Object.entries(pod.spec?.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  // Terms are ORed; the expressions of one term are ANDed.
  return terms.some((t) => (t.matchExpressions ?? []).every((e) => requirementMatches(e, labels[e.key])));
}

function requirementMatches(e: Pick<NodeSelectorRequirement, 'operator' | 'values'>, v: string | undefined): boolean {
  switch (e.operator) {
    case 'In':
      return v !== undefined && (e.values ?? []).includes(v);
    case 'NotIn':
      return v === undefined || !(e.values ?? []).includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
    case 'Lt':
      return v !== undefined && /^-?\d+$/.test(v) && (e.operator === 'Gt' ? Number(v) > Number(e.values?.[0]) : Number(v) < Number(e.values?.[0]));
    default:
      return false;
  }
}

/** A metav1.LabelSelector against labels; an absent selector selects nothing, an empty one everything. */
function labelSelectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => l[k] === v) && (sel.matchExpressions ?? []).every((e) => requirementMatches(e, l[e.key]));
}

const termMatches = (term: PodAffinityTerm, owner: Pod, other: Pod) =>
  (term.namespaces?.length ? term.namespaces : [owner.metadata?.namespace]).includes(other.metadata?.namespace) && labelSelectorMatches(term.labelSelector, other.metadata?.labels);
const sameDomain = (key: string, a: Node, b: Node) => a.metadata?.labels?.[key] !== undefined && a.metadata.labels[key] === b.metadata?.labels?.[key];

/** InterPodAffinity's Filter, required terms only: the pod's affinity, its anti-affinity, then existing pods' anti-affinity. */
function interPodAffinity(pod: Pod, node: Node, placed: Array<{ pod: Pod; node: Node }>): FilterFailure | undefined {
  for (const term of pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    const matching = placed.filter((p) => termMatches(term, pod, p.pod));
    // The first pod of a group that selects itself may go anywhere.
    if (!matching.length && termMatches(term, pod, pod)) continue;
    if (!matching.some((p) => sameDomain(term.topologyKey, node, p.node))) return unresolvable("node(s) didn't match pod affinity rules");
  }
  const anti = pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  if (anti.some((term) => placed.some((p) => termMatches(term, pod, p.pod) && sameDomain(term.topologyKey, node, p.node)))) {
    return { reasons: ["node(s) didn't match pod anti-affinity rules"], unresolvable: false };
  }
  const existing = placed.some((p) =>
    (p.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some((term) => termMatches(term, p.pod, pod) && sameDomain(term.topologyKey, node, p.node)),
  );
  return existing ? { reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"], unresolvable: false } : undefined;
}
