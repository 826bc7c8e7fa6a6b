import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, maxSurge, maxUnavailable } from '../../../../domain/workload.js';
import type { ControllerContext } from '../context.js';
import { byCreation, replicasOf, scaleReplicaSet } from './replica-sets.js';

const active = (rss: ReplicaSet[]): ReplicaSet[] => rss.filter((rs) => replicasOf(rs) > 0);
const total = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + replicasOf(rs), 0);
const available = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);

/** NewRSNewReplicas: how big the new ReplicaSet may be now without exceeding replicas + maxSurge. */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate') return replicas;
  const current = replicasOf(newRS ?? {});
  const maxTotal = replicas + maxSurge(d);
  const pods = total(allRSs);
  if (pods >= maxTotal) return current;
  return current + Math.min(maxTotal - pods, replicas - current);
}

/** Mutable view of the deployment's ReplicaSets, refreshed as each one is scaled. */
export class ReplicaSetSet {
  constructor(
    public newRS: ReplicaSet | undefined,
    public oldRSs: ReplicaSet[],
  ) {}

  all(): ReplicaSet[] {
    return this.newRS ? [...this.oldRSs, this.newRS] : [...this.oldRSs];
  }

  scale(ctx: ControllerContext, rs: ReplicaSet, to: number, d: Deployment): boolean {
    const updated = scaleReplicaSet(ctx, rs, to, d);
    if (rs === this.newRS) this.newRS = updated;
    else this.oldRSs = this.oldRSs.map((o) => (o === rs ? updated : o));
    return replicasOf(rs) !== to;
  }
}

export function reconcileNewReplicaSet(ctx: ControllerContext, set: ReplicaSetSet, d: Deployment): boolean {
  const newRS = set.newRS!;
  const replicas = d.spec?.replicas ?? 1;
  if (replicasOf(newRS) === replicas) return false;
  if (replicasOf(newRS) > replicas) return set.scale(ctx, newRS, replicas, d);
  return set.scale(ctx, newRS, newRSNewReplicas(d, set.all(), newRS), d);
}

/** reconcileOldReplicaSets: shrink old ReplicaSets as far as maxUnavailable allows, unhealthy pods first. */
export function reconcileOldReplicaSets(ctx: ControllerContext, set: ReplicaSetSet, d: Deployment): boolean {
  if (total(active(set.oldRSs)) === 0) return false;
  const replicas = d.spec?.replicas ?? 1;
  const minAvailable = replicas - maxUnavailable(d);
  const newRS = set.newRS!;
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = total(set.all()) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;

  let cleaned = 0;
  for (const rs of [...set.oldRSs].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const unhealthy = replicasOf(rs) - (rs.status?.availableReplicas ?? 0);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const n = Math.min(maxScaledDown - cleaned, unhealthy);
    set.scale(ctx, rs, replicasOf(rs) - n, d);
    cleaned += n;
  }

  let scaledDown = 0;
  const availablePods = available(set.all());
  if (availablePods > minAvailable) {
    const budget = availablePods - minAvailable;
    for (const rs of [...set.oldRSs].sort(byCreation)) {
      if (scaledDown >= budget) break;
      if (replicasOf(rs) === 0) continue;
      const n = Math.min(replicasOf(rs), budget - scaledDown);
      set.scale(ctx, rs, replicasOf(rs) - n, d);
      scaledDown += n;
    }
  }
  return cleaned + scaledDown > 0;
}

/** The controller's scale(): a scaling event or a paused deployment resizes without rolling out. */
export function proportionalScale(ctx: ControllerContext, set: ReplicaSetSet, d: Deployment): void {
  const replicas = d.spec?.replicas ?? 1;
  const activeRSs = active(set.all());
  const activeOrLatest = activeRSs.length === 0 ? (set.newRS ?? [...set.oldRSs].sort(byCreation).at(-1)) : activeRSs.length === 1 ? activeRSs[0] : undefined;
  if (activeOrLatest) {
    if (replicasOf(activeOrLatest) !== replicas) set.scale(ctx, activeOrLatest, replicas, d);
    return;
  }
  if (set.newRS && isSaturated(d, set.newRS)) {
    for (const rs of active(set.oldRSs)) set.scale(ctx, rs, 0, d);
    return;
  }
  if (d.spec?.strategy?.type === 'Recreate') return;
  const allowed = replicas > 0 ? replicas + maxSurge(d) : 0;
  const toAdd = allowed - total(activeRSs);
  const ordered = [...activeRSs].sort((a, b) => replicasOf(b) - replicasOf(a) || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)));
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of ordered) {
    const p = toAdd !== 0 ? proportion(rs, d, toAdd, added) : 0;
    sizes.set(rs, replicasOf(rs) + p);
    added += p;
  }
  if (toAdd !== 0 && ordered[0]) sizes.set(ordered[0], Math.max(sizes.get(ordered[0])! + toAdd - added, 0));
  for (const rs of ordered) set.scale(ctx, rs, sizes.get(rs)!, d);
}

function isSaturated(d: Deployment, rs: ReplicaSet): boolean {
  const replicas = d.spec?.replicas ?? 1;
  return replicasOf(rs) === replicas && rs.metadata?.annotations?.[DESIRED_REPLICAS_ANNOTATION] === String(replicas) && (rs.status?.availableReplicas ?? 0) === replicas;
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === added) return 0;
  const replicas = d.spec?.replicas ?? 1;
  let fraction: number;
  if (replicas === 0) fraction = -replicasOf(rs);
  else {
    const annotated = Number(rs.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION] ?? d.status?.replicas ?? 0) || replicas + maxSurge(d);
    fraction = Math.round((replicasOf(rs) * (replicas + maxSurge(d))) / annotated) - replicasOf(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
