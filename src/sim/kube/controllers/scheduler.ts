import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../../domain/quantity.js';
import { resourceOfKind } from '../resources.js';
import { as, copy, toKube, type ControllerContext } from './context.js';

const PODS = resourceOfKind('Pod');
const NODES = resourceOfKind('Node');
const SOURCE = { component: 'default-scheduler' };
const RETRY_MS = 60_000;

interface Requests {
  cpu: number;
  memory: number;
}

export function podRequests(pod: Pod): Requests {
  const r = { cpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    r.cpu += parseQuantity(c.resources?.requests?.cpu as string | undefined) ?? 0;
    r.memory += parseQuantity(c.resources?.requests?.memory as string | undefined) ?? 0;
  }
  return r;
}

/**
 * kube-scheduler in miniature: NodeUnschedulable, NodeAffinity (nodeSelector),
 * TaintToleration and NodeResourcesFit filters, least-allocated scoring,
 * and the FailedScheduling message the real FitError prints.
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
    } else if (ev.resource === NODES) retryAllPending();
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
  const req = podRequests(pod);
  const used = usageByNode(ctx);
  const reasons = new Map<string, number>();
  let unresolvable = 0;
  const fits: Array<{ name: string; score: number }> = [];
  for (const node of nodes) {
    const name = node.metadata!.name!;
    const failures = filterNode(pod, node, req, used.get(name) ?? { cpu: 0, memory: 0, pods: 0 });
    if (!failures.length) {
      const alloc = allocatable(node);
      const score = (used.get(name)?.memory ?? 0) / Math.max(alloc.memory, 1) + (used.get(name)?.cpu ?? 0) / Math.max(alloc.cpu, 1);
      fits.push({ name, score });
      continue;
    }
    if (failures.some((f) => !f.startsWith('Insufficient') && f !== 'Too many pods')) unresolvable++;
    for (const f of failures) reasons.set(f, (reasons.get(f) ?? 0) + 1);
  }
  if (fits.length) {
    fits.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
    return { node: fits[0]!.name, message: '' };
  }
  const n = nodes.length;
  const histogram = [...reasons].map(([r, c]) => `${c} ${r}`).sort().join(', ');
  const preemption = [
    ...(n - unresolvable > 0 ? [`${n - unresolvable} No preemption victims found for incoming pod`] : []),
    ...(unresolvable > 0 ? [`${unresolvable} Preemption is not helpful for scheduling`] : []),
  ]
    .sort()
    .join(', ');
  return { message: `0/${n} nodes are available: ${histogram}. preemption: 0/${n} nodes are available: ${preemption}.` };
}

function allocatable(node: Node): { cpu: number; memory: number; pods: number } {
  const a = (node.status?.allocatable ?? node.status?.capacity ?? {}) as Record<string, string>;
  return { cpu: parseQuantity(a.cpu) ?? 0, memory: parseQuantity(a.memory) ?? 0, pods: parseQuantity(a.pods) ?? 110 };
}

function usageByNode(ctx: ControllerContext): Map<string, { cpu: number; memory: number; pods: number }> {
  const used = new Map<string, { cpu: number; memory: number; pods: number }>();
  for (const p of ctx.store.list(PODS).map((o) => as<Pod>(o))) {
    const node = p.spec?.nodeName;
    if (!node || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const u = used.get(node) ?? { cpu: 0, memory: 0, pods: 0 };
    const r = podRequests(p);
    u.cpu += r.cpu;
    u.memory += r.memory;
    u.pods += 1;
    used.set(node, u);
  }
  return used;
}

/** The default filter plugins in their order (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit); the first failure names the node's reason. */
function filterNode(pod: Pod, node: Node, req: Requests, used: { cpu: number; memory: number; pods: number }): string[] {
  if (node.spec?.unschedulable) return ['node(s) were unschedulable'];
  const untolerated = (node.spec?.taints ?? []).find(
    (t) =>
      (t.effect === 'NoSchedule' || t.effect === 'NoExecute') &&
      !(pod.spec?.tolerations ?? []).some((tol) => (tol.operator === 'Exists' ? !tol.key || tol.key === t.key : tol.key === t.key && (tol.value ?? '') === (t.value ?? '')) && (!tol.effect || tol.effect === t.effect)),
  );
  if (untolerated) return [`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`];
  const labels = node.metadata?.labels ?? {};
  if (Object.entries(pod.spec?.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return ["node(s) didn't match Pod's node affinity/selector"];
  const alloc = allocatable(node);
  const out: string[] = [];
  if (used.pods + 1 > alloc.pods) out.push('Too many pods');
  if (req.cpu > 0 && used.cpu + req.cpu > alloc.cpu) out.push('Insufficient cpu');
  if (req.memory > 0 && used.memory + req.memory > alloc.memory) out.push('Insufficient memory');
  return out;
}
