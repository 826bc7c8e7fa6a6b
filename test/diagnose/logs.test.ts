import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeCluster } from '../../src/adapters/kube/cluster.js';
import { collectDeploymentSnapshot } from '../../src/adapters/kube/collector.js';
import { LOG_LIMITS } from '../../src/domain/container-log.js';
import { loadKubeConfig } from '../../src/adapters/kube/kubeconfig.js';
import { IMAGE_CATALOG } from '../../src/sim/kube/catalog/images.js';
import { CatalogImageSource } from '../../src/sim/kube/kubelet/image-source.js';
import { runCli } from '../helpers/cli.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

// An image that logs a great deal, secrets among it, then crashes.
const noisy = Array.from({ length: 500 }, (_, i) => `${'x'.repeat(100)} line ${i}`);
const leaky = [
  ...noisy,
  'connecting to postgres://app:s3cr3t-pa55@db:5432/app',
  'config loaded: DB_PASSWORD=hunter2 API_TOKEN=tok_live_abcdef123456',
  'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIzNDU2',
  'Error: ECONNREFUSED while starting',
];
const catalog = {
  ...IMAGE_CATALOG,
  repositories: { ...IMAGE_CATALOG.repositories, 'registry.example.com/leaky': { tags: { v1: { exit: { afterSeconds: 2, code: 1, logs: leaky } } } } },
};

let f: SimFixture;
beforeAll(async () => {
  f = await startSim({ images: new CatalogImageSource(catalog) });
  await f.kubectl.ok('create', 'namespace', 'shop');
  await f.kubectl.ok('create', 'deployment', 'leaky', '-n', 'shop', '--image=registry.example.com/leaky:v1');
  f.sim.advance(5 * 60_000);
});
afterAll(() => f.sim.stop());

const SECRETS = ['s3cr3t-pa55', 'hunter2', 'tok_live_abcdef123456', 'eyJhbGciOiJIUzI1NiJ9'];

describe('container logs in a diagnosis', () => {
  it('are tail-limited, byte-capped and redacted before they reach the snapshot', async () => {
    const cluster = new KubeCluster(loadKubeConfig({ kubeconfig: f.kubectl.kubeconfigPath }));
    const snap = await collectDeploymentSnapshot(cluster, undefined, { namespace: 'shop', name: 'leaky' }, { now: () => new Date() });
    const previous = snap.logs.find((l) => l.previous)!;
    expect(previous).toBeDefined();
    expect(previous.lines.length).toBeLessThanOrEqual(LOG_LIMITS.tailLines);
    expect(Buffer.byteLength(previous.lines.join('\n'))).toBeLessThanOrEqual(LOG_LIMITS.limitBytes);
    expect(previous.truncated).toBe(true);
    const text = JSON.stringify(snap.logs);
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(text).toContain('DB_PASSWORD=[REDACTED]');
    expect(text).toContain('postgres://app:[REDACTED]@db:5432/app');
    expect(previous.lines.at(-1)).toBe('Error: ECONNREFUSED while starting');
  });

  it('never shows a secret in the diagnosis, in text or JSON', async () => {
    for (const output of ['text', 'json']) {
      const r = await runCli(['diagnose', 'leaky', '-n', 'shop', '--kubeconfig', f.kubectl.kubeconfigPath, '--output', output]);
      expect(r.code).toBe(1);
      for (const s of SECRETS) expect(r.stdout + r.stderr).not.toContain(s);
    }
  });
});
