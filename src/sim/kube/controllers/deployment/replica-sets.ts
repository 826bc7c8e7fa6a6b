import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { jsonEqual } from '../../../../domain/json.js';
import {
  ANNOTATIONS_TO_SKIP,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  maxSurge,
  revisionOf,
  templateWithoutHash,
} from '../../../../domain/workload.js';
import { resourceOfKind } from '../../resources.js';
import { as, copy, isControlledBy, toKube, type ControllerContext } from '../context.js';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './status.js';

export const DEPLOYMENTS = resourceOfKind('Deployment');
export const REPLICA_SETS = resourceOfKind('ReplicaSet');
const SOURCE = { component: 'deployment-controller' };
const MAX_REV_HISTORY_CHARS = 2000;

export function replicasOf(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 0;
}

export const byCreation = (a: ReplicaSet, b: ReplicaSet): number =>
  (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

export function ownedReplicaSets(ctx: ControllerContext, d: Deployment): ReplicaSet[] {
  return ctx.store
    .list(REPLICA_SETS, { namespace: d.metadata!.namespace })
    .filter((rs) => isControlledBy(rs, d.metadata!.uid))
    .map((rs) => as<ReplicaSet>(rs));
}

export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return jsonEqual(templateWithoutHash(a ?? {}), templateWithoutHash(b ?? {}));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's, hash label aside. */
export function findNewReplicaSet(d: Deployment, rsList: ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** controller.ComputeHash: FNV-32a of the template, encoded as rand.SafeEncodeString of its decimal form. */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  let h = 0x811c9dc5;
  const feed = (bytes: Uint8Array) => {
    for (const b of bytes) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  };
  feed(new TextEncoder().encode(canonicalJson(template)));
  if (collisionCount !== undefined) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount, true);
    feed(b);
  }
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(h >>> 0)].map((c) => alphabet[c.charCodeAt(0) % alphabet.length]).join('');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Annotations the new ReplicaSet carries: the deployment's (minus the skipped
 * ones) and its revision; a ReplicaSet brought back by a rollback keeps its old
 * number in revision-history.
 */
function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const before = JSON.stringify(rs.metadata?.annotations ?? {});
  const annotations: Record<string, string> = { ...(rs.metadata!.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const old = annotations[REVISION_ANNOTATION];
  const oldInt = Number(old ?? 0);
  if (!old || oldInt < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    if (old && exists) {
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      let next = history ? `${history},${old}` : old;
      while (next.length > MAX_REV_HISTORY_CHARS && next.includes(',')) next = next.slice(next.indexOf(',') + 1);
      annotations[REVISION_HISTORY_ANNOTATION] = next;
    }
  }
  if (!exists) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(d.spec?.replicas ?? 1);
    annotations[MAX_REPLICAS_ANNOTATION] = String((d.spec?.replicas ?? 1) + maxSurge(d));
  }
  rs.metadata!.annotations = annotations;
  return JSON.stringify(annotations) !== before;
}

export interface NewReplicaSetResult {
  newRS?: ReplicaSet;
  oldRSs: ReplicaSet[];
  /** The deployment, with its revision annotation and Progressing condition synced. */
  deployment: Deployment;
}

/**
 * getAllReplicaSetsAndSyncRevision: finds (or, when asked, creates) the new
 * ReplicaSet, gives it the next revision, and mirrors that on the deployment.
 */
export function syncRevision(
  ctx: ControllerContext,
  d: Deployment,
  rsList: ReplicaSet[],
  createIfMissing: boolean,
  initialReplicas: (oldRSs: ReplicaSet[]) => number,
): NewReplicaSetResult {
  const existing = findNewReplicaSet(d, rsList);
  const oldRSs = rsList.filter((rs) => rs !== existing);
  const newRevision = Math.max(0, ...oldRSs.map((rs) => revisionOf(rs))) + 1;

  if (existing) {
    const next = copy(existing);
    let changed = setNewReplicaSetAnnotations(d, next, newRevision, true);
    if ((next.spec!.minReadySeconds ?? 0) !== (d.spec!.minReadySeconds ?? 0)) {
      next.spec!.minReadySeconds = d.spec!.minReadySeconds;
      changed = true;
    }
    const newRS = changed ? as<ReplicaSet>(ctx.store.update(REPLICA_SETS, toKube(next))) : existing;
    const found = getCondition(d.status, 'Progressing') ? undefined : { reason: 'FoundNewReplicaSet', message: `Found new replica set "${newRS.metadata!.name}"` };
    return { newRS, oldRSs, deployment: syncDeploymentRevision(ctx, d, newRS, found) };
  }
  if (!createIfMissing) return { oldRSs, deployment: d };

  const hash = podTemplateHash(d.spec!.template, d.status?.collisionCount);
  const template = copy(d.spec!.template!);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
  const name = `${d.metadata!.name}-${hash}`;
  const replicas = initialReplicas(oldRSs);
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata!.namespace,
      labels: { ...d.spec!.template!.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata!.name!, uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas,
      minReadySeconds: d.spec!.minReadySeconds,
      selector: { ...d.spec!.selector, matchLabels: { ...d.spec!.selector?.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash } },
      template,
    },
  };
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  const created = as<ReplicaSet>(ctx.store.create(REPLICA_SETS, toKube(rs)));
  if (replicas > 0) ctx.events.record(toKube(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} to ${replicas}`, SOURCE);
  const deployment = syncDeploymentRevision(ctx, d, created, { reason: 'NewReplicaSetCreated', message: `Created new replica set "${name}"` });
  return { newRS: created, oldRSs, deployment };
}

/** SetDeploymentRevision plus the first Progressing condition, written through /status as the controller does. */
function syncDeploymentRevision(ctx: ControllerContext, d: Deployment, newRS: ReplicaSet, progressing?: { reason: string; message: string }): Deployment {
  const next = copy(d);
  const revision = newRS.metadata?.annotations?.[REVISION_ANNOTATION];
  let changed = false;
  if (revision && next.metadata!.annotations?.[REVISION_ANNOTATION] !== revision) {
    next.metadata!.annotations = { ...next.metadata!.annotations, [REVISION_ANNOTATION]: revision };
    changed = true;
  }
  if (progressing && hasProgressDeadline(d)) {
    next.status ??= {};
    changed = setCondition(next.status, newCondition('Progressing', 'True', progressing.reason, progressing.message, ctx.clock.timestamp())) || changed;
  }
  return changed ? as<Deployment>(ctx.store.update(DEPLOYMENTS, toKube(next), { subresource: 'status' })) : d;
}

/** scaleReplicaSetAndRecordEvent: resize, refresh the desired/max annotations, and say so. */
export function scaleReplicaSet(ctx: ControllerContext, rs: ReplicaSet, newScale: number, d: Deployment): ReplicaSet {
  const desired = String(d.spec?.replicas ?? 1);
  const max = String((d.spec?.replicas ?? 1) + maxSurge(d));
  const sizeChanged = replicasOf(rs) !== newScale;
  const annotations = rs.metadata?.annotations ?? {};
  const annotationsChanged = annotations[DESIRED_REPLICAS_ANNOTATION] !== desired || annotations[MAX_REPLICAS_ANNOTATION] !== max;
  if (!sizeChanged && !annotationsChanged) return rs;
  const next = copy(rs);
  next.spec!.replicas = newScale;
  next.metadata!.annotations = { ...annotations, [DESIRED_REPLICAS_ANNOTATION]: desired, [MAX_REPLICAS_ANNOTATION]: max };
  const updated = as<ReplicaSet>(ctx.store.update(REPLICA_SETS, toKube(next)));
  if (sizeChanged) {
    const op = newScale > replicasOf(rs) ? 'up' : 'down';
    ctx.events.record(toKube(d), 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata!.name} to ${newScale} from ${replicasOf(rs)}`, SOURCE);
  }
  return updated;
}
