import { performance } from 'node:perf_hooks';
import { analyzeDeployment } from '../domain/analyzers/index.js';
import { buildDiagnosis, type DiagnosisReport } from '../domain/diagnosis.js';
import type { DeploymentSnapshot } from '../domain/snapshot.js';

/** Collect once, analyze many: the diagnosis of one Deployment. */
export async function diagnoseDeployment(source: { collect(): Promise<DeploymentSnapshot> }): Promise<DiagnosisReport> {
  const started = performance.now();
  const snapshot = await source.collect();
  const findings = analyzeDeployment(snapshot, (analyzer, e) =>
    snapshot.notes.push({ source: `analyzer ${analyzer}`, message: `failed: ${(e as Error)?.message ?? String(e)}` }),
  );
  return buildDiagnosis(snapshot, findings, Math.round(performance.now() - started));
}
