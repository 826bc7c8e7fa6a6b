import type { Finding } from './finding.js';
import { lastHealthyRevision, revisionHistory, rolloutStatus, type RolloutStatus } from './rollout.js';
import type { DeploymentSnapshot } from './snapshot.js';
import { revisionOf } from './workload.js';

/** The diagnosis JSON of DESIGN.md (`deploy-medic diagnose --output json`). */
export interface DiagnosisReport {
  deployment: {
    namespace: string;
    name: string;
    uid: string;
    revision: number;
    generation: number;
    observedGeneration: number;
    paused: boolean;
    images: string[];
    replicas: { desired: number; updated: number; ready: number; available: number; unavailable: number };
  };
  rollout: RolloutStatus;
  revisions: Array<{ revision: number; images: string[]; changeCause: string | null; createdAt: string | null; current: boolean }>;
  lastHealthyRevision: number | null;
  findings: Finding[];
  /** Reads that failed; the findings are based on what could be read. */
  notes: string[];
  collectedAt: string;
  durationMs: number;
}

export function buildDiagnosis(snapshot: DeploymentSnapshot, findings: Finding[], durationMs: number): DiagnosisReport {
  const d = snapshot.deployment;
  const s = d.status ?? {};
  return {
    deployment: {
      namespace: d.metadata?.namespace ?? '',
      name: d.metadata?.name ?? '',
      uid: d.metadata?.uid ?? '',
      revision: revisionOf(d),
      generation: d.metadata?.generation ?? 0,
      observedGeneration: s.observedGeneration ?? 0,
      paused: Boolean(d.spec?.paused),
      images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? ''),
      replicas: {
        desired: d.spec?.replicas ?? 1,
        updated: s.updatedReplicas ?? 0,
        ready: s.readyReplicas ?? 0,
        available: s.availableReplicas ?? 0,
        unavailable: s.unavailableReplicas ?? 0,
      },
    },
    rollout: rolloutStatus(d),
    revisions: revisionHistory(d, snapshot.replicaSets).map(({ replicaSet: _rs, ...r }) => r),
    lastHealthyRevision: lastHealthyRevision(d, snapshot.replicaSets),
    findings,
    notes: snapshot.notes.map((n) => `${n.source}: ${n.message}`),
    collectedAt: snapshot.collectedAt,
    durationMs,
  };
}

/** Exit code 1 territory: a critical or error finding. */
export function isFailing(report: Pick<DiagnosisReport, 'findings'>): boolean {
  return report.findings.some((f) => f.severity === 'critical' || f.severity === 'error');
}
