import type { Node, NodeSelectorRequirement, PersistentVolumeClaim, Pod, PodAffinityTerm } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { resourceOfKind } from '../resources.js';
import { fromLabelSelectorSpec, matchesLabels } from '../selectors.js';
import type { ObjectStore } from '../store.js';
import { claimClass } from '../tables/storage.js';
import { as } from './context.js';

const PVCS = resourceOfKind('PersistentVolumeClaim');
const STORAGE_CLASSES = resourceOfKind('StorageClass');

/** A Filter plugin's verdict on one node; unresolvable ones make preemption "not helpful". */
export interface FilterFailure {
  reasons: string[];
  unresolvable: boolean;
}

export interface Usage {
  cpu: number;
  memory: number;
  pods: number;
}

export interface SchedulingState {
  pod: Pod;
  requests: { cpu: number; memory: number };
  /** Scheduled, non-terminal pods with their nodes, for inter-pod affinity. */
  placed: Array<{ pod: Pod; node: Node }>;
}

const unresolvable = (reason: string): FilterFailure => ({ reasons: [reason], unresolvable: true });

/**
 * VolumeBinding's PreFilter: a missing claim, or an unbound claim whose
 * binding is immediate (no class, a class that does not exist, or an
 * Immediate class), fails the pod on every node before any filter runs.
 */
export function volumePreFilter(store: ObjectStore, pod: Pod): string | undefined {
  const ns = pod.metadata!.namespace!;
  let unboundImmediate = false;
  for (const v of pod.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    if (!name) continue;
    const obj = store.get(PVCS, ns, name);
    if (!obj) return `persistentvolumeclaim "${name}" not found`;
    const pvc = as<PersistentVolumeClaim>(obj);
    if (pvc.metadata?.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    if (pvc.status?.phase === 'Bound') continue;
    const className = claimClass(pvc);
    const sc = className ? store.get(STORAGE_CLASSES, undefined, className) : undefined;
    if (!sc || as<StorageClass>(sc).volumeBindingMode !== 'WaitForFirstConsumer') unboundImmediate = true;
  }
  return unboundImmediate ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

/** The default filter plugins in order; the first that fails names the node's reason(s). */
export function filterNode(s: SchedulingState, node: Node, used: Usage, alloc: Usage): FilterFailure | undefined {
  const { pod } = s;
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
  if (s.requests.cpu > 0 && used.cpu + s.requests.cpu > alloc.cpu) reasons.push('Insufficient cpu');
  if (s.requests.memory > 0 && used.memory + s.requests.memory > alloc.memory) reasons.push('Insufficient memory');
  if (reasons.length) return { reasons, unresolvable: false };
  return interPodAffinity(s, node);
}

function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  if (Object.entries(pod.spec?.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  // Terms are ORed; the expressions of one term are ANDed.
  return terms.some((t) => (t.matchExpressions ?? []).every((e) => nodeRequirementMatches(e, labels)));
}

function nodeRequirementMatches(e: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const v = labels[e.key];
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

const termNamespaces = (term: PodAffinityTerm, owner: Pod) => term.namespaces?.length ? term.namespaces : [owner.metadata!.namespace!];
const termMatches = (term: PodAffinityTerm, owner: Pod, other: Pod) =>
  termNamespaces(term, owner).includes(other.metadata!.namespace!) && matchesLabels(fromLabelSelectorSpec(term.labelSelector), other.metadata?.labels);
const sameDomain = (key: string, a: Node, b: Node) => a.metadata?.labels?.[key] !== undefined && a.metadata.labels[key] === b.metadata?.labels?.[key];

/** InterPodAffinity's Filter, required terms only: the pod's affinity, its anti-affinity, then existing pods' anti-affinity. */
function interPodAffinity(s: SchedulingState, node: Node): FilterFailure | undefined {
  const { pod, placed } = s;
  const affinity = pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  for (const term of affinity) {
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
