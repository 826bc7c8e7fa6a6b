import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { jsonEqual } from '../../../../domain/json.js';
import { DESIRED_REPLICAS_ANNOTATION, revisionOf } from '../../../../domain/workload.js';
import { resourceOfKind } from '../../resources.js';
import { as, controllerOf, copy, toKube, type ControllerContext } from '../context.js';
import { DEPLOYMENTS, REPLICA_SETS, ownedReplicaSets, replicasOf, syncRevision } from './replica-sets.js';
import { ReplicaSetSet, newRSNewReplicas, proportionalScale, reconcileNewReplicaSet, reconcileOldReplicaSets } from './scaling.js';
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  newCondition,
  removeCondition,
  setCondition,
} from './status.js';

const PODS = resourceOfKind('Pod');

/**
 * The deployment controller (pkg/controller/deployment) in miniature:
 * rolling and recreate rollouts, revisions, conditions, progress deadlines,
 * pause/resume, proportional scaling and revision-history clean-up.
 */
export function startDeploymentController(ctx: ControllerContext): void {
  const deadlineTimers = new Map<string, number>();
  const enqueue = (namespace: string, name: string) => {
    const key = `${namespace}/${name}`;
    ctx.runtime.enqueue(`deployment/${key}`, () => syncDeployment(ctx, namespace, name, (after) => requeueAt(key, namespace, name, after)));
  };
  const requeueAt = (key: string, namespace: string, name: string, afterMs: number | undefined) => {
    ctx.clock.clearTimer(deadlineTimers.get(key));
    deadlineTimers.delete(key);
    if (afterMs !== undefined) deadlineTimers.set(key, ctx.clock.setTimer(afterMs, () => enqueue(namespace, name)));
  };

  ctx.store.subscribe((ev) => {
    const ns = ev.object.metadata.namespace!;
    if (ev.resource === DEPLOYMENTS) enqueue(ns, ev.object.metadata.name!);
    else if (ev.resource === REPLICA_SETS) {
      const owner = controllerOf(ev.object);
      if (owner?.kind === 'Deployment') enqueue(ns, owner.name);
    } else if (ev.resource === PODS && ev.type === 'DELETED') {
      // Recreate waits for the old pods to be gone.
      const rsRef = controllerOf(ev.object);
      const rs = rsRef?.kind === 'ReplicaSet' ? ctx.store.get(REPLICA_SETS, ns, rsRef.name) : undefined;
      const owner = rs && controllerOf(rs);
      if (owner?.kind === 'Deployment') enqueue(ns, owner.name);
    }
  });
}

type Requeue = (afterMs: number | undefined) => void;

function syncDeployment(ctx: ControllerContext, namespace: string, name: string, requeue: Requeue): void {
  const obj = ctx.store.get(DEPLOYMENTS, namespace, name);
  if (!obj) return requeue(undefined);
  let d = as<Deployment>(obj);
  const rsList = ownedReplicaSets(ctx, d);
  d = checkPausedConditions(ctx, d);
  if (d.spec?.paused || isScalingEvent(d, rsList)) return syncScaling(ctx, d, rsList);
  if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(ctx, d, rsList, requeue);
  rolloutRolling(ctx, d, rsList, requeue);
}

function checkPausedConditions(ctx: ControllerContext, d: Deployment): Deployment {
  if (!hasProgressDeadline(d)) return d;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === 'ProgressDeadlineExceeded') return d;
  const pausedCond = cond?.reason === 'DeploymentPaused';
  let message: [string, string] | undefined;
  if (d.spec?.paused && !pausedCond) message = ['DeploymentPaused', 'Deployment is paused'];
  else if (!d.spec?.paused && pausedCond) message = ['DeploymentResumed', 'Deployment is resumed'];
  if (!message) return d;
  const next = copy(d);
  next.status ??= {};
  setCondition(next.status, newCondition('Progressing', 'Unknown', message[0], message[1], ctx.clock.timestamp()));
  return as<Deployment>(ctx.store.update(DEPLOYMENTS, toKube(next), { subresource: 'status' }));
}

function isScalingEvent(d: Deployment, rsList: ReplicaSet[]): boolean {
  return rsList.some((rs) => {
    if (replicasOf(rs) === 0) return false;
    const desired = rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION];
    return desired !== undefined && Number(desired) !== (d.spec?.replicas ?? 1);
  });
}

/** sync(): scaling events and paused deployments resize without rolling out. */
function syncScaling(ctx: ControllerContext, d: Deployment, rsList: ReplicaSet[]): void {
  const { newRS, oldRSs, deployment } = syncRevision(ctx, d, rsList, false, () => 0);
  const set = new ReplicaSetSet(newRS, oldRSs);
  proportionalScale(ctx, set, deployment);
  if (deployment.spec?.paused) cleanupDeployment(ctx, set.oldRSs, deployment);
  const status = calculateStatus(set.all(), set.newRS, deployment, ctx.clock.timestamp());
  writeStatus(ctx, deployment, status);
}

function rolloutRolling(ctx: ControllerContext, d: Deployment, rsList: ReplicaSet[], requeue: Requeue): void {
  const initial = (olds: ReplicaSet[]) => newRSNewReplicas(d, olds, undefined);
  const { newRS, oldRSs, deployment } = syncRevision(ctx, d, rsList, true, initial);
  const set = new ReplicaSetSet(newRS, oldRSs);
  if (reconcileNewReplicaSet(ctx, set, deployment) || reconcileOldReplicaSets(ctx, set, deployment)) {
    return syncRolloutStatus(ctx, set, deployment, requeue);
  }
  if (deploymentComplete(deployment, deployment.status ?? {})) cleanupDeployment(ctx, set.oldRSs, deployment);
  syncRolloutStatus(ctx, set, deployment, requeue);
}

function rolloutRecreate(ctx: ControllerContext, d: Deployment, rsList: ReplicaSet[], requeue: Requeue): void {
  let { newRS, oldRSs, deployment } = syncRevision(ctx, d, rsList, false, () => 0);
  const set = new ReplicaSetSet(newRS, oldRSs);
  let scaledDown = false;
  for (const rs of set.oldRSs.filter((r) => replicasOf(r) > 0)) scaledDown = set.scale(ctx, rs, 0, deployment) || scaledDown;
  if (scaledDown || oldPodsRunning(ctx, set.oldRSs)) return syncRolloutStatus(ctx, set, deployment, requeue);
  if (!set.newRS) {
    ({ newRS, oldRSs, deployment } = syncRevision(ctx, deployment, rsList, true, () => deployment.spec?.replicas ?? 1));
    set.newRS = newRS;
    set.oldRSs = oldRSs;
  }
  if (set.newRS && replicasOf(set.newRS) !== (deployment.spec?.replicas ?? 1)) set.scale(ctx, set.newRS, deployment.spec?.replicas ?? 1, deployment);
  if (deploymentComplete(deployment, deployment.status ?? {})) cleanupDeployment(ctx, set.oldRSs, deployment);
  syncRolloutStatus(ctx, set, deployment, requeue);
}

function oldPodsRunning(ctx: ControllerContext, oldRSs: ReplicaSet[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const uids = new Set(oldRSs.map((rs) => rs.metadata!.uid));
  const ns = oldRSs[0]?.metadata?.namespace;
  if (!ns) return false;
  return ctx.store.list(PODS, { namespace: ns }).some((p) => {
    const owner = controllerOf(p);
    const phase = as<Pod>(p).status?.phase;
    return owner && uids.has(owner.uid) && phase !== 'Failed' && phase !== 'Succeeded';
  });
}

/** cleanupDeployment: keep at most revisionHistoryLimit old, empty ReplicaSets; delete the oldest revisions first. */
function cleanupDeployment(ctx: ControllerContext, oldRSs: ReplicaSet[], d: Deployment): void {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === 2147483647) return;
  const candidates = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const diff = candidates.length - limit;
  if (diff <= 0) return;
  const ordered = [...candidates].sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
  for (const rs of ordered.slice(0, diff)) {
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0) continue;
    if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    ctx.store.delete(REPLICA_SETS, rs.metadata!.namespace, rs.metadata!.name!);
  }
}

/** syncRolloutStatus: counters, Available/Progressing/ReplicaFailure, and a wake-up at the progress deadline. */
function syncRolloutStatus(ctx: ControllerContext, set: ReplicaSetSet, d: Deployment, requeue: Requeue): void {
  const now = ctx.clock.timestamp();
  const newRS = set.newRS;
  const status = calculateStatus(set.all(), newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === 'NewReplicaSetAvailable';
  const subject = newRS ? `ReplicaSet "${newRS.metadata!.name}"` : `Deployment "${d.metadata!.name}"`;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      const cond = newCondition('Progressing', 'True', 'ReplicaSetUpdated', `${subject} is progressing.`, now);
      if (current?.status === 'True') cond.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, cond);
    } else if (deploymentTimedOut(d, status, ctx.clock.nowMs())) {
      setCondition(status, newCondition('Progressing', 'False', 'ProgressDeadlineExceeded', `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(set.all(), newRS);
  if (failure) {
    setCondition(status, {
      type: 'ReplicaFailure',
      status: failure.status,
      reason: failure.reason,
      message: failure.message,
      lastUpdateTime: failure.lastTransitionTime,
      lastTransitionTime: failure.lastTransitionTime,
    });
  } else removeCondition(status, 'ReplicaFailure');
  if (!status.conditions?.length) delete status.conditions;

  if (jsonEqual(d.status ?? {}, status)) {
    // requeueStuckDeployment: come back when the deadline would pass.
    if (!hasProgressDeadline(d) || !current || deploymentComplete(d, status) || current.reason === 'ProgressDeadlineExceeded') return requeue(undefined);
    const after = Date.parse(current.lastUpdateTime!) + d.spec!.progressDeadlineSeconds! * 1000 - ctx.clock.nowMs();
    return requeue(Math.max(after, 0) + 1000);
  }
  writeStatus(ctx, d, status);
}

function replicaFailure(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined) {
  const fromRS = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  return fromRS(newRS) ?? allRSs.map(fromRS).find(Boolean);
}

function writeStatus(ctx: ControllerContext, d: Deployment, status: Deployment['status']): void {
  if (jsonEqual(d.status ?? {}, status ?? {})) return;
  const next = copy(d);
  next.status = status;
  ctx.store.update(DEPLOYMENTS, toKube(next), { subresource: 'status' });
}
