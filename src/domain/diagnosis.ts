import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Finding } from './finding.js';
import { lastHealthyRevision, revisionHistory, rolloutStatus, type RevisionInfo, type RolloutStatus } from './rollout.js';
import type { DeploymentSnapshot } from './snapshot.js';
import { imagesOf, revisionOf } from './workload.js';

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
  revisions: RevisionInfo[];
  lastHealthyRevision: number | null;
  findings: Finding[];
  /** Reads that failed; the findings are based on what could be read. */
  notes: string[];
  collectedAt: string;
  durationMs: number;
}

/** What anyone reporting on a deployment states first: revision, images, pause, replica counts. */
export function deploymentFacts(d: Deployment): Pick<DiagnosisReport['deployment'], 'revision' | 'paused' | 'images' | 'replicas'> {
  const s = d.status ?? {};
  return {
    revision: revisionOf(d),
    paused: Boolean(d.spec?.paused),
    images: imagesOf(d.spec?.template),
    replicas: {
      desired: d.spec?.replicas ?? 1,
      updated: s.updatedReplicas ?? 0,
      ready: s.readyReplicas ?? 0,
      available: s.availableReplicas ?? 0,
      unavailable: s.unavailableReplicas ?? 0,
    },
  };
}

export function buildDiagnosis(snapshot: DeploymentSnapshot, findings: Finding[], durationMs: number): DiagnosisReport {
  const d = snapshot.deployment;
  return {
    deployment: {
      namespace: d.metadata?.namespace ?? '',
      name: d.metadata?.name ?? '',
      uid: d.metadata?.uid ?? '',
      generation: d.metadata?.generation ?? 0,
      observedGeneration: d.status?.observedGeneration ?? 0,
      ...deploymentFacts(d),
    },
    rollout: rolloutStatus(d),
    revisions: revisionHistory(d, snapshot.replicaSets),
    lastHealthyRevision: lastHealthyRevision(snapshot.replicaSets),
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
