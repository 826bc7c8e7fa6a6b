import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../src/domain/preflight/world.js';
import { REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { SCENARIOS, type Scenario } from '../../src/sim/kube/catalog/scenarios.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { KubeRequestLog } from '../helpers/kube-requests.js';
import { badManifest, startPreflightWorld, type PreflightWorldFixture } from './catalog-manifests.js';

/**
 * Every scenario of the catalog, preflighted before its change rolls out:
 * the cluster runs each scenario's healthy revision 1, and `deploy-medic
 * preflight -f` is handed the manifest of the failing revision. Whatever
 * can be seen before the rollout is named with the code the diagnosis
 * gives after it (the catalog's `expect`, which the diagnosis end-to-end
 * test holds the diagnosis to), and the cluster receives reads and dry runs only.
 */
const BEFORE_ROLLOUT = [
  'image-tag-not-found',
  'image-repository-not-found',
  'image-pull-unauthorized',
  'invalid-image-name',
  'registry-unreachable',
  'probe-port-mismatch',
  'missing-secret',
  'missing-configmap',
  'missing-config-key',
  'insufficient-memory',
  'node-selector-mismatch',
  'quota-exceeded',
  'rollout-stuck',
  'service-no-endpoints',
  'untolerated-taint',
  'unschedulable-other',
  'pvc-not-found',
  'pvc-unbound',
  'limitrange-exceeded',
  'pod-security-violation',
  'admission-webhook-denied',
  'service-selector-mismatch',
];
/** Failures only the running app shows: what the image does, how long it takes, what it logs. */
const ONLY_AT_RUNTIME = [
  'crash-missing-module',
  'crash-config-dns',
  'crash-connection-refused',
  'crash-migration',
  'crash-exception',
  'oom-killed',
  'readiness-probe-failing',
  'liveness-too-early',
  'init-container-failing',
  'container-start-failed',
  'startup-probe-failing',
];

const requests = new KubeRequestLog();
let w: PreflightWorldFixture;
let storedBefore: number;
const results = new Map<string, CliResult>();

beforeAll(async () => {
  w = await startPreflightWorld(SCENARIOS, { log: requests.logger });
  storedBefore = w.sim.sim.store.resourceVersion;
  const queue = [...SCENARIOS];
  // Four CLI processes at a time: each preflight is a fresh `deploy-medic` run.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const file = w.write(`${s.name}.yaml`, [badManifest(s)]);
        results.set(s.name, await runCli(['preflight', '-f', file, '--output', 'json', '--kubeconfig', w.sim.kubectl.kubeconfigPath], w.env));
      }
    }),
  );
}, 240_000);

afterAll(async () => {
  await w?.stop();
});

function report(s: Scenario): PreflightReport {
  const r = results.get(s.name)!;
  if (!r.stdout.startsWith('{')) throw new Error(`preflight ${s.name} printed no JSON (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as PreflightReport;
}

const byName = (names: string[]) => names.map((n) => [n, SCENARIOS.find((s) => s.name === n)!] as const);
const errors = (r: PreflightReport) => r.findings.filter((f) => f.severity === 'critical' || f.severity === 'error');

describe('deploy-medic preflight of every catalog scenario', () => {
  it('sorts every scenario into seen before the rollout or only at run time', () => {
    expect([...BEFORE_ROLLOUT, ...ONLY_AT_RUNTIME, 'healthy', 'rollout-paused'].sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it.each(byName(BEFORE_ROLLOUT))('%s: named with the diagnosis code before the rollout, with evidence and a fix; exit 1', (_n, s) => {
    const r = report(s);
    expect(results.get(s.name)!.code, results.get(s.name)!.stderr).toBe(1);
    expect(r.phase).toBe('preflight');
    expect(r.findings[0]!.code).toBe(s.expect[0]);
    expect(r.findings[0]!.evidence.length).toBeGreaterThan(0);
    expect(r.findings.flatMap((f) => f.fixes).every((x) => x.kind !== 'rollback')).toBe(true);
    expect(r.notes).toEqual([]);
    expect(r.deployment).toMatchObject({ namespace: s.namespace, name: s.deployment, revision: 2 });
    expect(r.lastHealthyRevision).toBe(1);
    expect(r.rollout.state).toBe('complete');
  });

  it('the healthy manifest passes: no error, exit 0', () => {
    const s = SCENARIOS.find((x) => x.name === 'healthy')!;
    expect(results.get(s.name)!.code, results.get(s.name)!.stderr).toBe(0);
    expect(report(s).findings).toEqual([]);
    expect(report(s).revisions.at(-1)).toMatchObject({ revision: 2, current: true, images: [`${REGISTRY}/web-frontend:v1.4.1`] });
  });

  it('a change to a paused rollout is a warning that it will not roll out, exit 0', () => {
    const s = SCENARIOS.find((x) => x.name === 'rollout-paused')!;
    expect(results.get(s.name)!.code).toBe(0);
    expect(report(s).findings[0]).toMatchObject({ code: 'ROLLOUT_PAUSED', severity: 'warning' });
  });

  it.each(byName(ONLY_AT_RUNTIME))('%s: only the running app shows it; no false alarm, exit 0', (_n, s) => {
    expect(results.get(s.name)!.code, results.get(s.name)!.stdout).toBe(0);
    expect(errors(report(s))).toEqual([]);
  });

  it('names the nearest tags that exist in the real registry, as fixes for the manifest', () => {
    const tag = report(SCENARIOS.find((x) => x.name === 'image-tag-not-found')!).findings[0]!;
    expect(tag.summary).toContain('v2.0.1 does not exist in registry.example.com/api-server; v2.0.0 and v2.1.0 do');
    expect(tag.evidence.some((e) => e.kind === 'registry')).toBe(true);
    expect(tag.fixes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'set-image', image: `${REGISTRY}/api-server:v2.0.0` })]));
  });

  it('checks the private repository with the pull secret the pods would use', () => {
    const r = report(SCENARIOS.find((x) => x.name === 'image-pull-unauthorized')!);
    expect(r.findings[0]!.evidence.find((e) => e.kind === 'registry')?.detail).toContain('rejected the credentials of ci-bot');
  });

  it('admission speaks through the dry run of a pod: the webhook and Pod Security in their own words', () => {
    const webhook = report(SCENARIOS.find((x) => x.name === 'admission-webhook-denied')!).findings[0]!;
    expect(webhook.summary).toContain('which is not an approved registry');
    const psa = report(SCENARIOS.find((x) => x.name === 'pod-security-violation')!).findings[0]!;
    expect(psa.summary).toContain('violates it: allowPrivilegeEscalation != false');
  });

  it('no write reaches the cluster: the API server saw reads and dry runs only, and stored nothing', () => {
    const writes = requests.entries.filter((e) => e.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.filter((e) => !new URLSearchParams(e.query).getAll('dryRun').includes('All'))).toEqual([]);
    // Both dry runs were made: the Deployment's update and a pod of its template.
    expect(writes.some((e) => e.method === 'PUT' && /\/apis\/apps\/v1\/namespaces\/[^/]+\/deployments\/[^/]+$/.test(e.path))).toBe(true);
    expect(writes.some((e) => e.method === 'POST' && /\/api\/v1\/namespaces\/[^/]+\/pods$/.test(e.path))).toBe(true);
    expect(w.sim.sim.store.resourceVersion).toBe(storedBefore);
  });
});
