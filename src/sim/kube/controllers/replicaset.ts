import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { jsonEqual } from '../../../domain/json.js';
import { resourceOfKind } from '../resources.js';
import { matchesLabels } from '../selectors.js';
import { StatusError } from '../status-error.js';
import { as, controllerOf, copy, isControlledBy, toKube, type ControllerContext } from './context.js';

const REPLICA_SETS = resourceOfKind('ReplicaSet');
const PODS = resourceOfKind('Pod');
const QUOTAS = resourceOfKind('ResourceQuota');
const SOURCE = { component: 'replicaset-controller' };
const BURST = 500;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * The ReplicaSet controller: keeps the number of pods at spec.replicas,
 * reports FailedCreate (e.g. quota) as an event and a ReplicaFailure
 * condition, and counts ready and available pods.
 */
export function startReplicaSetController(ctx: ControllerContext): void {
  const retries = new Map<string, { timer: number; delayMs: number }>();
  const availabilityTimers = new Map<string, number>();
  const enqueue = (namespace: string, name: string) =>
    ctx.runtime.enqueue(`replicaset/${namespace}/${name}`, () => {
      const key = `${namespace}/${name}`;
      const result = syncReplicaSet(ctx, namespace, name);
      // Failed creates are retried with exponential back-off, as the rate-limited work queue does.
      const retry = retries.get(key);
      if (result.failed) {
        const delayMs = retry ? Math.min(retry.delayMs * 2, MAX_RETRY_MS) : 1000;
        ctx.clock.clearTimer(retry?.timer);
        retries.set(key, { delayMs, timer: ctx.clock.setTimer(delayMs, () => enqueue(namespace, name)) });
      } else if (retry) {
        ctx.clock.clearTimer(retry.timer);
        retries.delete(key);
      }
      ctx.clock.clearTimer(availabilityTimers.get(key));
      availabilityTimers.delete(key);
      if (result.nextAvailableInMs !== undefined) {
        availabilityTimers.set(key, ctx.clock.setTimer(result.nextAvailableInMs, () => enqueue(namespace, name)));
      }
    });

  ctx.store.subscribe((ev) => {
    const ns = ev.object.metadata.namespace!;
    if (ev.resource === REPLICA_SETS) enqueue(ns, ev.object.metadata.name!);
    else if (ev.resource === PODS) {
      const owner = controllerOf(ev.object);
      if (owner?.kind === 'ReplicaSet') enqueue(ns, owner.name);
    } else if (ev.resource === QUOTAS) {
      // A raised quota lets a blocked ReplicaSet try again at once.
      for (const key of retries.keys()) if (key.startsWith(`${ns}/`)) enqueue(ns, key.slice(ns.length + 1));
    }
  });
}

function syncReplicaSet(ctx: ControllerContext, namespace: string, name: string): { failed: boolean; nextAvailableInMs?: number } {
  const obj = ctx.store.get(REPLICA_SETS, namespace, name);
  if (!obj) return { failed: false };
  const rs = as<ReplicaSet>(obj);
  let pods = ownedActivePods(ctx, rs);
  const desired = rs.spec?.replicas ?? 1;
  let error: { reason: string; message: string } | undefined;
  const diff = pods.length - desired;
  if (diff < 0) {
    for (let i = 0; i < Math.min(-diff, BURST); i++) {
      try {
        const created = as<Pod>(ctx.store.create(PODS, toKube(podFor(rs))));
        ctx.events.record(obj, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata!.name}`, SOURCE);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        ctx.events.record(obj, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, SOURCE);
        error = { reason: 'FailedCreate', message: e.message };
        break; // slowStartBatch stops at the first failed batch
      }
    }
  } else if (diff > 0) {
    for (const pod of pods.sort(deletionOrder).slice(0, diff)) {
      ctx.store.delete(PODS, namespace, pod.metadata!.name!);
      ctx.events.record(obj, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata!.name}`, SOURCE);
    }
  }
  pods = ownedActivePods(ctx, rs);
  const { status, nextAvailableInMs } = calculateStatus(ctx, rs, pods, error);
  if (!jsonEqual(rs.status ?? {}, status)) {
    const next = copy(rs);
    next.status = status;
    ctx.store.update(REPLICA_SETS, toKube(next), { subresource: 'status' });
  }
  return { failed: Boolean(error), nextAvailableInMs };
}

function ownedActivePods(ctx: ControllerContext, rs: ReplicaSet): Pod[] {
  return ctx.store
    .list(PODS, { namespace: rs.metadata!.namespace })
    .filter((p) => isControlledBy(p, rs.metadata!.uid))
    .map((p) => as<Pod>(p))
    .filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
}

function podFor(rs: ReplicaSet): Pod {
  const t = rs.spec!.template!;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata!.name}-`,
      namespace: rs.metadata!.namespace,
      labels: { ...t.metadata?.labels },
      ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata!.name!, uid: rs.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: copy(t.spec!),
  };
}

const readyCondition = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready');
const isReady = (p: Pod) => readyCondition(p)?.status === 'True';
const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));

/** ActivePodsWithRanks, simplified: the pods least worth keeping come first. */
function deletionOrder(a: Pod, b: Pod): number {
  const scheduled = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  return (
    scheduled(a) - scheduled(b) ||
    (PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0) - (PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0) ||
    Number(isReady(a)) - Number(isReady(b)) ||
    restarts(b) - restarts(a) ||
    (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '')
  );
}

function calculateStatus(
  ctx: ControllerContext,
  rs: ReplicaSet,
  pods: Pod[],
  error: { reason: string; message: string } | undefined,
): { status: ReplicaSetStatus; nextAvailableInMs?: number } {
  const now = ctx.clock.nowMs();
  const minReadyMs = (rs.spec?.minReadySeconds ?? 0) * 1000;
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  let ready = 0;
  let available = 0;
  let nextAvailableInMs: number | undefined;
  for (const p of pods) {
    if (!isReady(p)) continue;
    ready++;
    const since = Date.parse(readyCondition(p)!.lastTransitionTime ?? '') || now;
    const wait = since + minReadyMs - now;
    if (minReadyMs === 0 || wait <= 0) available++;
    else nextAvailableInMs = Math.min(nextAvailableInMs ?? Infinity, wait);
  }
  const fullyLabeled = pods.filter((p) => matchesLabels(Object.entries(templateLabels).map(([key, value]) => ({ key, op: 'eq' as const, value })), p.metadata?.labels)).length;
  let conditions: ReplicaSetCondition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (error && !failure) {
    conditions.push({ type: 'ReplicaFailure', status: 'True', reason: error.reason, message: error.message, lastTransitionTime: ctx.clock.timestamp() });
  } else if (!error && failure) conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  const status: ReplicaSetStatus = { replicas: pods.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.metadata?.generation) status.observedGeneration = rs.metadata.generation;
  if (conditions.length) status.conditions = conditions;
  return { status, nextAvailableInMs };
}
