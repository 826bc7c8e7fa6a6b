import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { jsonEqual } from './json.js';
import { CHANGE_CAUSE_ANNOTATION, imagesOf, revisionOf, templateWithoutHash } from './workload.js';

/**
 * What kubectl does for `rollout status` and `rollout history`, as pure
 * functions of the objects it reads (kubectl pkg/polymorphichelpers:
 * DeploymentStatusViewer, DeploymentHistoryViewer). `rollout undo` is an
 * action: actions/rollback.ts.
 */
export type RolloutState = 'complete' | 'progressing' | 'failed' | 'paused';

export interface RolloutStatus {
  state: RolloutState;
  /** kubectl's own words, without the trailing newline. */
  message: string;
}

export function rolloutStatus(d: Deployment): RolloutStatus {
  const name = d.metadata?.name ?? '';
  const s = d.status ?? {};
  const desired = d.spec?.replicas ?? 1;
  const waitingOr = (message: string): RolloutStatus => ({ state: d.spec?.paused ? 'paused' : 'progressing', message });
  if ((d.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) return waitingOr('Waiting for deployment spec update to be observed...');
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { state: 'failed', message: `deployment "${name}" exceeded its progress deadline` };
  const updated = s.updatedReplicas ?? 0;
  if (updated < desired) return waitingOr(`Waiting for deployment "${name}" rollout to finish: ${updated} out of ${desired} new replicas have been updated...`);
  if ((s.replicas ?? 0) > updated) return waitingOr(`Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...`);
  if ((s.availableReplicas ?? 0) < updated) {
    return waitingOr(`Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...`);
  }
  return { state: 'complete', message: `deployment "${name}" successfully rolled out` };
}

export interface RevisionInfo {
  revision: number;
  images: string[];
  changeCause: string | null;
  createdAt: string | null;
  current: boolean;
}

/** One entry per ReplicaSet with a revision, oldest first, as `kubectl rollout history` lists them. */
export function revisionHistory(d: Deployment, replicaSets: ReplicaSet[]): RevisionInfo[] {
  const current = revisionOf(d);
  return replicaSets
    .filter((rs) => revisionOf(rs) > 0)
    .map((rs) => ({
      revision: revisionOf(rs),
      images: imagesOf(rs.spec?.template),
      changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE_ANNOTATION] ?? null,
      createdAt: rs.metadata?.creationTimestamp ?? null,
      current: revisionOf(rs) === current,
    }))
    .sort((a, b) => a.revision - b.revision);
}

/** The ReplicaSet whose template the deployment currently runs (FindNewReplicaSet). */
export function currentReplicaSet(d: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  return [...replicaSets]
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .find((rs) => jsonEqual(templateWithoutHash(rs.spec?.template ?? {}), templateWithoutHash(d.spec?.template ?? {})));
}

/** The newest revision whose pods are available now: where a rollback is known to land on working pods. */
export function lastHealthyRevision(replicaSets: ReplicaSet[]): number | null {
  const healthy = replicaSets.filter((rs) => (rs.status?.availableReplicas ?? 0) > 0).map(revisionOf).filter((r) => r > 0);
  return healthy.length ? Math.max(...healthy) : null;
}
