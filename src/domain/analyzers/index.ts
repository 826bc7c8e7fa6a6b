import { MAX_EVIDENCE, SEVERITY_ORDER, plural, type Evidence, type Finding, type FindingCode, type Fix, type Severity } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analyzeAdmission } from './admission.js';
import { analyzeConfig } from './config.js';
import { analysisContext, type AnalysisContext } from './context.js';
import { analyzeCrashes } from './crash.js';
import { analyzeImages } from './image.js';
import { analyzeInitContainers } from './init.js';
import { analyzeOom } from './oom.js';
import { analyzeProbes } from './probes.js';
import { analyzeQuota } from './quota.js';
import { analyzeRollout } from './rollout.js';
import { analyzeServices } from './service.js';
import { analyzeScheduling } from './scheduling.js';
import { analyzeStartFailures } from './start.js';
import { unexplainedSignalFindings } from './unrecognized.js';
import { analyzeVolumes } from './volumes.js';

/** `ctx` is derived from the snapshot; passing it in only saves recomputing it. */
type Analyzer = (snapshot: DeploymentSnapshot, ctx?: AnalysisContext) => Finding[];

/** One per failure family; each is pure and sees the whole snapshot. */
const ANALYZERS: readonly Analyzer[] = [
  analyzeImages,
  analyzeConfig,
  analyzeScheduling,
  analyzeVolumes,
  analyzeQuota,
  analyzeAdmission,
  analyzeStartFailures,
  analyzeInitContainers,
  analyzeCrashes,
  analyzeOom,
  analyzeProbes,
  analyzeRollout,
  analyzeServices,
];

/**
 * Tie-break between findings of equal rank and severity: causes that stop a
 * pod from existing or starting come before causes seen in running pods,
 * and rollout-level observations come last.
 */
export const CODE_PRIORITY: readonly FindingCode[] = [
  'INVALID_IMAGE_NAME',
  'IMAGE_TAG_NOT_FOUND',
  'IMAGE_REPOSITORY_NOT_FOUND',
  'IMAGE_PULL_UNAUTHORIZED',
  'REGISTRY_UNREACHABLE',
  'IMAGE_PULL_FAILED',
  'MISSING_SECRET',
  'MISSING_CONFIGMAP',
  'MISSING_CONFIG_KEY',
  'ROLLOUT_STUCK',
  'LIMIT_RANGE_EXCEEDED',
  'POD_SECURITY_VIOLATION',
  'ADMISSION_WEBHOOK_DENIED',
  'POD_CREATE_FAILED',
  'QUOTA_EXCEEDED',
  'NODE_SELECTOR_MISMATCH',
  'INSUFFICIENT_RESOURCES',
  'UNTOLERATED_TAINT',
  'PVC_NOT_FOUND',
  'PVC_UNBOUND',
  'UNSCHEDULABLE',
  'CONTAINER_START_FAILED',
  'INIT_CONTAINER_FAILING',
  'OOM_KILLED',
  'APP_MISSING_DEPENDENCY',
  'APP_CONFIG_DNS_ERROR',
  'APP_CONNECTION_REFUSED',
  'APP_MIGRATION_FAILED',
  'PROBE_PORT_MISMATCH',
  'STARTUP_PROBE_FAILING',
  'LIVENESS_PROBE_FAILING',
  'READINESS_PROBE_FAILING',
  'CRASH_LOOP',
  'UNRECOGNIZED_FAILURE',
  'POD_NOT_READY',
  'ROLLOUT_PAUSED',
  'SERVICE_SELECTOR_MISMATCH',
  'SERVICE_NO_ENDPOINTS',
  'PROGRESS_DEADLINE_EXCEEDED',
];

const CRASH_EXPLAINERS: FindingCode[] = [
  'APP_MISSING_DEPENDENCY',
  'APP_CONFIG_DNS_ERROR',
  'APP_CONNECTION_REFUSED',
  'APP_MIGRATION_FAILED',
  'OOM_KILLED',
  'LIVENESS_PROBE_FAILING',
  'PROBE_PORT_MISMATCH',
  'MISSING_SECRET',
  'MISSING_CONFIGMAP',
  'MISSING_CONFIG_KEY',
  'CONTAINER_START_FAILED',
  'INIT_CONTAINER_FAILING',
  'STARTUP_PROBE_FAILING',
];

/** A finding is a symptom when another finding present explains it; symptoms rank after every cause. */
const EXPLAINED_WHEN: Partial<Record<FindingCode, (codes: Set<FindingCode>) => boolean>> = {
  CRASH_LOOP: (codes) => CRASH_EXPLAINERS.some((c) => codes.has(c)),
  // Probes aimed at the wrong port fail whatever the app does.
  LIVENESS_PROBE_FAILING: (codes) => codes.has('PROBE_PORT_MISMATCH'),
  READINESS_PROBE_FAILING: (codes) => codes.has('PROBE_PORT_MISMATCH'),
  // A full quota or cluster only blocks the rollout because the strategy insists on a surge pod.
  QUOTA_EXCEEDED: (codes) => codes.has('ROLLOUT_STUCK'),
  SERVICE_NO_ENDPOINTS: (codes) => codes.has('SERVICE_SELECTOR_MISMATCH'),
  INSUFFICIENT_RESOURCES: (codes) => codes.has('ROLLOUT_STUCK'),
  PROGRESS_DEADLINE_EXCEEDED: (codes) => [...codes].some((c) => c !== 'PROGRESS_DEADLINE_EXCEEDED'),
};

/**
 * All findings for one deployment: aggregated, capped and ranked root cause
 * first. With `onFailure`, an analyzer that throws is reported and skipped, so
 * one bug costs one family of findings rather than the whole diagnosis.
 */
export function analyzeDeployment(snapshot: DeploymentSnapshot, onFailure?: (analyzer: string, error: unknown) => void): Finding[] {
  // Computed once for all analyzers, inside each one's guard so a failure here is reported like theirs.
  let ctx: AnalysisContext | undefined;
  const context = () => (ctx ??= analysisContext(snapshot));
  const guarded = (name: string, run: () => Finding[]): Finding[] => {
    if (!onFailure) return run();
    try {
      return run();
    } catch (e) {
      onFailure(name, e);
      return [];
    }
  };
  const specific = ANALYZERS.flatMap((analyze) => guarded(analyze.name, () => analyze(snapshot, context())));
  // Last, because what it reports depends on what the specific analyzers explained.
  const findings = [...specific, ...guarded(unexplainedSignalFindings.name, () => unexplainedSignalFindings(context(), specific))];
  const codes = new Set(findings.map((f) => f.code));
  const ranked = findings.map((f) => {
    const symptom = EXPLAINED_WHEN[f.code]?.(codes) ?? false;
    return { symptom, finding: finalize(f, symptom) };
  });
  ranked.sort(
    (a, b) =>
      Number(a.symptom) - Number(b.symptom) ||
      SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] ||
      CODE_PRIORITY.indexOf(a.finding.code) - CODE_PRIORITY.indexOf(b.finding.code) ||
      (a.finding.pods[0] ?? '').localeCompare(b.finding.pods[0] ?? '') ||
      a.finding.title.localeCompare(b.finding.title),
  );
  return ranked.map((r) => r.finding);
}

/**
 * Evidence without duplicates and capped (the summary counts what was left
 * out), fixes the bot can carry out before manual ones, and symptoms no
 * louder than `error`. Analyzers already aggregate and sort pods.
 */
function finalize(f: Finding, symptom: boolean): Finding {
  const evidence = dedupe(f.evidence, (e: Evidence) => `${e.kind}\u0000${e.name}\u0000${e.detail}`);
  const hidden = evidence.length - MAX_EVIDENCE;
  const fixes = dedupe(f.fixes, (x: Fix) => JSON.stringify(x));
  const severity: Severity = symptom && f.severity === 'critical' ? 'error' : f.severity;
  return {
    ...f,
    severity,
    summary: hidden > 0 ? `${f.summary} (${plural(hidden, 'more piece')} of evidence not shown.)` : f.summary,
    evidence: evidence.slice(0, MAX_EVIDENCE),
    fixes: [...fixes.filter((x) => x.kind !== 'manual'), ...fixes.filter((x) => x.kind === 'manual')],
  };
}

function dedupe<T>(items: T[], key: (t: T) => string): T[] {
  return [...new Map(items.map((t) => [key(t), t])).values()];
}
