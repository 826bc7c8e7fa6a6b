import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeWorkloadWatch } from '../../src/adapters/kube/workload-watch.js';
import { loadKubeConfig } from '../../src/adapters/kube/kubeconfig.js';
import { createLogger } from '../../src/log.js';
import { RolloutWatcher, type RolloutFailure } from '../../src/services/watcher.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * The built-in watcher against the simulated cluster through real
 * client-node informers: a failing rollout is reported within moments by the
 * cluster's own reason; a rollout whose pods start normally is not; dropped
 * watches and a compacted history are recovered from by listing again.
 */
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

let f: SimFixture;
let watcher: RolloutWatcher;
const failures: RolloutFailure[] = [];
const healthy: string[] = [];

const create = (name: string, tag: string) => f.kubectl.ok('create', 'deployment', name, '-n', 'shop', `--image=registry.example.com/api-server:${tag}`);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, stepMs = 1_000): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    f.sim.advance(stepMs);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  f = await startSim();
  await f.kubectl.ok('create', 'namespace', 'shop');
  const watch = new KubeWorkloadWatch(loadKubeConfig({ kubeconfig: f.kubectl.kubeconfigPath }), ['shop'], silent);
  watcher = new RolloutWatcher({
    watch,
    clock: f.sim.clock,
    log: silent,
    options: { cluster: 'default', debounceSeconds: 30, recheckMs: 100 },
    onFailing: async (x) => void failures.push(x),
    onHealthy: async (t) => void healthy.push(t.name),
  });
  await watcher.start();
});
afterAll(async () => {
  await watcher?.stop();
  await f?.sim.stop();
});

describe('the rollout watcher', () => {
  it('reports a failing rollout with the cluster’s words, and not one whose pods start normally', async () => {
    await create('calm', 'v2.0.0');
    await until('calm to be available', async () => watcher.state() === 'watching' && (await f.get<{ status?: { availableReplicas?: number } }>('/apis/apps/v1/namespaces/shop/deployments/calm')).status?.availableReplicas === 1);
    await create('broken', 'v2.0.1');
    const failure = await until('broken to be reported', () => failures.find((x) => x.target.name === 'broken'));
    expect(failure.target).toEqual({ cluster: 'default', namespace: 'shop', name: 'broken' });
    expect(failure.signals.map((s) => s.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/ErrImagePull|ImagePullBackOff/)]));
    expect(failures.map((x) => x.target.name)).not.toContain('calm');
    expect(watcher.state()).toBe('watching');
  });

  it('says it is starting until its first lists are in, then watching', async () => {
    const watch = new KubeWorkloadWatch(loadKubeConfig({ kubeconfig: f.kubectl.kubeconfigPath }), ['shop'], silent);
    const started = watch.start(() => {});
    expect(watch.state()).toBe('starting');
    await started;
    expect(watch.state()).toBe('watching');
    expect(watch.deployments().map((d) => d.name)).toContain('calm');
    await watch.stop();
  });

  it('re-lists after dropped watches and a compacted history, and still sees the next failure', async () => {
    await fetch(`${f.sim.url}/_sim/v1/faults`, { method: 'POST', body: JSON.stringify({ watch: true, dropAfterMs: 0, times: 6 }) });
    await fetch(`${f.sim.url}/_sim/v1/compact`, { method: 'POST', body: '{}' });
    await create('broken-too', 'v9.9.9');
    const failure = await until('broken-too to be reported', () => failures.find((x) => x.target.name === 'broken-too'));
    expect(failure.signals.length).toBeGreaterThan(0);
    await until('the watches to be live again', () => watcher.state() === 'watching' || undefined);
  });

  it('does not call a crash loop recovered between two crashes (no readiness probe: Running, ready, available)', async () => {
    await f.kubectl.ok('create', 'deployment', 'flappy', '-n', 'shop', '--image=registry.example.com/checkout:v2.0.1');
    await until('flappy to be reported', () => failures.find((x) => x.target.name === 'flappy'));
    let available = 0;
    await until('three restarts, each after a spell of counting as available', async () => {
      const d = await f.get<{ status?: { availableReplicas?: number } }>('/apis/apps/v1/namespaces/shop/deployments/flappy');
      if (d.status?.availableReplicas === 1) available++;
      const pods = await f.get<{ items: Array<{ status?: { containerStatuses?: Array<{ restartCount: number }> } }> }>('/api/v1/namespaces/shop/pods?labelSelector=app%3Dflappy');
      return (pods.items[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 3 && available > 0 ? true : undefined;
    });
    expect(healthy).not.toContain('flappy');
    expect(failures.filter((x) => x.target.name === 'flappy')).toHaveLength(1);
  });

  it('says the rollout is healthy again once it recovers', async () => {
    await f.kubectl.ok('set', 'image', 'deployment/broken', '-n', 'shop', 'api-server=registry.example.com/api-server:v2.0.0');
    await until('broken to recover', () => healthy.includes('broken') || undefined);
  });
});
