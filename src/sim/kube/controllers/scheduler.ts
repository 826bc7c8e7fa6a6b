import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../../domain/quantity.js';
import { resourceOfKind } from '../resources.js';
import { as, copy, toKube, type ControllerContext } from './context.js';
import { filterNode, volumePreFilter, type SchedulingState, type Usage } from './scheduler-filters.js';

const PODS = resourceOfKind('Pod');
const NODES = resourceOfKind('Node');
const PVCS = resourceOfKind('PersistentVolumeClaim');
const STORAGE_CLASSES = resourceOfKind('StorageClass');
const SOURCE = { component: 'default-scheduler' };
const RETRY_MS = 60_000;

export function podRequests(pod: Pod): { cpu: number; memory: number } {
  const r = { cpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    r.cpu += parseQuantity(c.resources?.requests?.cpu as string | undefined) ?? 0;
    r.memory += parseQuantity(c.resources?.requests?.memory as string | undefined) ?? 0;
  }
  return r;
}

/**
 * kube-scheduler in miniature: VolumeBinding's PreFilter, the NodeUnschedulable,
 * TaintToleration, NodeAffinity, NodeResourcesFit and InterPodAffinity filters,
 * least-allocated scoring, and the FailedScheduling message the real FitError prints.
 */
export function startScheduler(ctx: ControllerContext): void {
  const retryTimers = new Map<string, number>();
  const enqueue = (namespace: string, name: string) => ctx.runtime.enqueue(`scheduler/${namespace}/${name}`, () => schedule(namespace, name));
  const retryAllPending = () => {
    for (const p of ctx.store.list(PODS)) if (!as<Pod>(p).spec?.nodeName) enqueue(p.metadata.namespace!, p.metadata.name!);
  };

  function schedule(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    ctx.clock.clearTimer(retryTimers.get(key));
    retryTimers.delete(key);
    const obj = ctx.store.get(PODS, namespace, name);
    if (!obj) return;
    const pod = as<Pod>(obj);
    if (pod.spec?.nodeName || pod.spec?.schedulerName !== 'default-scheduler') return;
    const nodes = ctx.store.list(NODES).map((n) => as<Node>(n));
    const { node, message } = pickNode(ctx, pod, nodes);
    if (node) {
      const bound = copy(pod);
      bound.spec!.nodeName = node;
      const next = copy(as<Pod>(ctx.store.update(PODS, toKube(bound))));
      setPodCondition((next.status ??= {}), { type: 'PodScheduled', status: 'True', lastTransitionTime: ctx.clock.timestamp() });
      ctx.store.update(PODS, toKube(next), { subresource: 'status' });
      ctx.events.record(obj, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`, SOURCE);
      return;
    }
    const next = copy(pod);
    setPodCondition((next.status ??= {}), { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: ctx.clock.timestamp() });
    ctx.store.update(PODS, toKube(next), { subresource: 'status' });
    ctx.events.record(obj, 'Warning', 'FailedScheduling', message.length > 1024 ? `${message.slice(0, 1020)} ...` : message, SOURCE);
    retryTimers.set(key, ctx.clock.setTimer(RETRY_MS, () => enqueue(namespace, name)));
  }

  ctx.store.subscribe((ev) => {
    if (ev.resource === PODS) {
      if (ev.type === 'ADDED') enqueue(ev.object.metadata.namespace!, ev.object.metadata.name!);
      // Freed capacity or a changed node lets pending pods try again, as the scheduling queue's move requests do.
      if (ev.type === 'DELETED' && as<Pod>(ev.object).spec?.nodeName) retryAllPending();
    } else if (ev.resource === NODES || ev.resource === PVCS || ev.resource === STORAGE_CLASSES) retryAllPending();
  });
}

/** Sets a pod condition, keeping lastTransitionTime when the status does not change. */
export function setPodCondition(status: NonNullable<Pod['status']>, cond: PodCondition): boolean {
  const conditions = status.conditions ?? [];
  const cur = conditions.find((c) => c.type === cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason && cur.message === cond.message) return false;
  const next = { ...cond };
  if (cur && cur.status === cond.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = cur ? conditions.map((c) => (c === cur ? next : c)) : [...conditions, next];
  return true;
}

function pickNode(ctx: ControllerContext, pod: Pod, nodes: Node[]): { node?: string; message: string } {
  if (nodes.length === 0) return { message: 'no nodes available to schedule pods' };
  const n = nodes.length;
  const preFilter = volumePreFilter(ctx.store, pod);
  if (preFilter) return { message: `0/${n} nodes are available: ${preFilter}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.` };
  const { used, placed } = clusterState(ctx, nodes);
  const state: SchedulingState = { pod, requests: podRequests(pod), placed };
  const reasons = new Map<string, number>();
  let unresolvable = 0;
  const fits: Array<{ name: string; score: number }> = [];
  for (const node of nodes) {
    const name = node.metadata!.name!;
    const u = used.get(name) ?? { cpu: 0, memory: 0, pods: 0 };
    const alloc = allocatable(node);
    const failure = filterNode(state, node, u, alloc);
    if (!failure) {
      fits.push({ name, score: u.memory / Math.max(alloc.memory, 1) + u.cpu / Math.max(alloc.cpu, 1) });
      continue;
    }
    if (failure.unresolvable) unresolvable++;
    for (const r of failure.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  if (fits.length) {
    fits.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
    return { node: fits[0]!.name, message: '' };
  }
  const histogram = [...reasons].map(([r, c]) => `${c} ${r}`).sort().join(', ');
  const preemption = [
    ...(n - unresolvable > 0 ? [`${n - unresolvable} No preemption victims found for incoming pod`] : []),
    ...(unresolvable > 0 ? [`${unresolvable} Preemption is not helpful for scheduling`] : []),
  ]
    .sort()
    .join(', ');
  return { message: `0/${n} nodes are available: ${histogram}. preemption: 0/${n} nodes are available: ${preemption}.` };
}

function allocatable(node: Node): Usage {
  const a = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  return { cpu: parseQuantity(a.cpu) ?? 0, memory: parseQuantity(a.memory) ?? 0, pods: parseQuantity(a.pods) ?? 110 };
}

/** What is already placed: requests per node, and the pods with their nodes (for inter-pod affinity). */
function clusterState(ctx: ControllerContext, nodes: Node[]): { used: Map<string, Usage>; placed: SchedulingState['placed'] } {
  const byName = new Map(nodes.map((n) => [n.metadata!.name!, n]));
  const used = new Map<string, Usage>();
  const placed: SchedulingState['placed'] = [];
  for (const p of ctx.store.list(PODS).map((o) => as<Pod>(o))) {
    const node = p.spec?.nodeName;
    if (!node || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const u = used.get(node) ?? { cpu: 0, memory: 0, pods: 0 };
    const r = podRequests(p);
    u.cpu += r.cpu;
    u.memory += r.memory;
    u.pods += 1;
    used.set(node, u);
    const n = byName.get(node);
    if (n) placed.push({ pod: p, node: n });
  }
  return { used, placed };
}
