import { analyzeDeployment } from '../analyzers/index.js';
import { buildDiagnosis, deploymentFacts } from '../diagnosis.js';
import type { Finding, FindingCode } from '../finding.js';
import { lastHealthyRevision, rolloutStatus } from '../rollout.js';
import { deploymentRefusalFinding, startupTimeFindings } from './checks.js';
import { wouldBe } from './would-be.js';
import type { PreflightReport, PreflightWorld } from './world.js';

export type { DryRun, PreflightReport, PreflightWorld } from './world.js';

/**
 * The preflight of one Deployment: the diagnosis' analyzers run over the
 * would-be world (what the cluster would show once the new revision rolls
 * out as far as it can), plus the checks only a preflight makes. Fixes that
 * undo a rollout are dropped: nothing has rolled out yet.
 */
export function preflightReport(world: PreflightWorld, now: Date, durationMs: number): PreflightReport {
  const { snapshot, revision } = wouldBe(world, now);
  const analyzed = analyzeDeployment(snapshot, (analyzer, e) => snapshot.notes.push({ source: `analyzer ${analyzer}`, message: `failed: ${(e as Error)?.message ?? String(e)}` }));
  const refused = deploymentRefusalFinding(world);
  const findings: Finding[] = inRolloutOrder([...(refused ? [refused] : []), ...analyzed, ...startupTimeFindings(world, snapshot.deployment)]).map((f) => ({ ...f, fixes: f.fixes.filter((x) => x.kind !== 'rollback') }));
  const report = buildDiagnosis(snapshot, findings, durationMs);
  const live = world.live;
  const name = world.candidate.metadata?.name ?? '';
  return {
    phase: 'preflight',
    source: world.source,
    ...report,
    deployment: {
      ...report.deployment,
      uid: live?.metadata?.uid ?? '',
      revision,
      generation: snapshot.deployment.metadata?.generation ?? 1,
      observedGeneration: live?.status?.observedGeneration ?? 0,
      replicas: { ...(live ? deploymentFacts(live).replicas : { updated: 0, ready: 0, available: 0, unavailable: 0 }), desired: snapshot.deployment.spec?.replicas ?? 1 },
    },
    rollout: live ? rolloutStatus(live) : { state: 'progressing', message: `deployment "${name}" does not exist yet: it would be created` },
    lastHealthyRevision: lastHealthyRevision(world.replicaSets),
    collectedAt: world.collectedAt,
  };
}

/** Where a rollout meets each trouble: the pods' creation, their scheduling, then the kubelet; the rest after. */
const STAGE: Partial<Record<FindingCode, number>> = {
  ...Object.fromEntries(['LIMIT_RANGE_EXCEEDED', 'POD_SECURITY_VIOLATION', 'ADMISSION_WEBHOOK_DENIED', 'POD_CREATE_FAILED', 'ROLLOUT_STUCK', 'QUOTA_EXCEEDED'].map((c) => [c, 0])),
  ...Object.fromEntries(['NODE_SELECTOR_MISMATCH', 'INSUFFICIENT_RESOURCES', 'UNTOLERATED_TAINT', 'UNSCHEDULABLE', 'PVC_NOT_FOUND', 'PVC_UNBOUND'].map((c) => [c, 1])),
};
const failing = (f: Finding) => f.severity === 'critical' || f.severity === 'error';

/**
 * Every trouble of the would-be world shows at once, so errors are ordered
 * as a rollout would meet them (one refused at creation hides what the
 * kubelet would say); the analyzers' ranking holds within a stage.
 */
function inRolloutOrder(findings: Finding[]): Finding[] {
  const rank = (f: Finding) => (failing(f) ? 0 : 10) + (STAGE[f.code] ?? 2);
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
}
