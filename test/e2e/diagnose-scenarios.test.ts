import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../src/domain/diagnosis.js';
import { REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { SCENARIOS, type Scenario } from '../../src/sim/kube/catalog/scenarios.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startCatalogRegistry, type CatalogRegistry } from '../helpers/catalog-registry.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * Every scenario of the catalog, diagnosed end to end: the simulated cluster
 * pulls from a real registry holding the catalog's images (the billing-worker
 * repository private, behind token auth), and `deploy-medic diagnose` checks
 * the same registry.
 */
let world: CatalogRegistry;
let f: SimFixture;
const results = new Map<string, CliResult>();

beforeAll(async () => {
  world = await startCatalogRegistry();
  f = await startSim({ images: world.source, scenarios: 'all' });
  const dir = mkdtempSync(join(tmpdir(), 'medic-e2e-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, `registries:\n  - host: ${REGISTRY}\n    endpoint: ${world.registry.url}\n`);
  // Four CLI processes at a time: each diagnosis is a fresh `deploy-medic` run.
  const queue = [...SCENARIOS];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const args = ['diagnose', s.deployment, '-n', s.namespace, '--output', 'json', '--kubeconfig', f.kubectl.kubeconfigPath];
        results.set(s.name, await runCli(args, { DEPLOY_MEDIC_CONFIG: policy }));
      }
    }),
  );
}, 240_000);

afterAll(async () => {
  await f?.sim.stop();
  await world?.stop();
});

function report(s: Scenario): DiagnosisReport {
  const r = results.get(s.name)!;
  if (!r.stdout.startsWith('{')) throw new Error(`diagnose ${s.name} printed no JSON (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as DiagnosisReport;
}

const failing = SCENARIOS.filter((s) => s.expect.length && s.name !== 'rollout-paused');

describe('deploy-medic diagnose on every catalog scenario', () => {
  it.each(failing.map((s) => [s.name, s] as const))('%s: root cause first, with evidence and a fix; exit 1', (_n, s) => {
    const r = report(s);
    expect(results.get(s.name)!.code, results.get(s.name)!.stderr).toBe(1);
    const codes = r.findings.map((x) => x.code);
    expect(codes[0]).toBe(s.expect[0]);
    expect(codes).toEqual(expect.arrayContaining(s.expect));
    expect(r.findings[0]!.evidence.length).toBeGreaterThan(0);
    expect(r.findings[0]!.fixes.length).toBeGreaterThan(0);
    expect(r.notes).toEqual([]);
    expect(r.deployment).toMatchObject({ namespace: s.namespace, name: s.deployment, revision: 2 });
  });

  it('the healthy deployment has no error findings and exits 0', () => {
    const s = SCENARIOS.find((x) => x.name === 'healthy')!;
    const r = report(s);
    expect(results.get(s.name)!.code).toBe(0);
    expect(r.findings.filter((x) => x.severity === 'critical' || x.severity === 'error')).toEqual([]);
    expect(r.rollout).toEqual({ state: 'complete', message: 'deployment "web-frontend" successfully rolled out' });
    expect(r.lastHealthyRevision).toBe(2);
  });

  it('a paused rollout is a warning, not a failure', () => {
    const s = SCENARIOS.find((x) => x.name === 'rollout-paused')!;
    const r = report(s);
    expect(r.findings[0]).toMatchObject({ code: 'ROLLOUT_PAUSED', severity: 'warning' });
    expect(r.findings[0]!.fixes.map((x) => x.kind)).toContain('resume');
    expect(r.rollout.state).toBe('paused');
  });

  it('names the nearest tags that exist in the real registry', () => {
    const r = report(SCENARIOS.find((x) => x.name === 'image-tag-not-found')!);
    const tag = r.findings[0]!;
    expect(tag.summary).toContain("v2.0.1 does not exist in registry.example.com/api-server; v2.0.0 and v2.1.0 do");
    expect(tag.evidence.some((e) => e.kind === 'registry')).toBe(true);
    expect(tag.fixes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'set-image', image: `${REGISTRY}/api-server:v2.0.0` }),
        expect.objectContaining({ kind: 'rollback', toRevision: 1 }),
      ]),
    );
    expect(r.lastHealthyRevision).toBe(1);
    expect(r.rollout).toEqual({ state: 'failed', message: 'deployment "api-server" exceeded its progress deadline' });
  });

  it('tells an unauthorized pull from a missing repository by asking the registry', () => {
    const unauthorized = report(SCENARIOS.find((x) => x.name === 'image-pull-unauthorized')!).findings[0]!;
    const missing = report(SCENARIOS.find((x) => x.name === 'image-repository-not-found')!).findings[0]!;
    expect(unauthorized.code).toBe('IMAGE_PULL_UNAUTHORIZED');
    expect(missing.code).toBe('IMAGE_REPOSITORY_NOT_FOUND');
  });
});
