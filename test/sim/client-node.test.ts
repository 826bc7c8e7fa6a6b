/**
 * @kubernetes/client-node 1.x, unchanged, against the simulator over real
 * HTTP: typed reads with selectors, errors, a raw Watch, and informers,
 * including the 410 Expired path after the watch history is compacted.
 */
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  Watch,
  type V1ConfigMap,
  type V1Pod,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
const NS = 'production';

beforeAll(async () => {
  f = await startSim({ scenarios: ['healthy'] });
  kc = new KubeConfig();
  kc.loadFromString(f.sim.kubeconfig());
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});
afterAll(() => f.sim.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(cond: () => boolean, what: string, step?: () => void): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    step?.();
    await sleep(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}
const compact = () => fetch(`${f.sim.url}/_sim/v1/compact`, { method: 'POST', body: '{}' }).then((r) => r.json() as Promise<{ compactedTo: number }>);
const cm = (name: string, data: Record<string, string> = {}): V1ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('typed API calls', () => {
  it('listNamespacedPod with a label selector, then narrowed by field selectors', async () => {
    const all = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web-frontend' });
    expect(all.items).toHaveLength(3);
    expect(all.items.every((p) => p.metadata!.labels!.app === 'web-frontend')).toBe(true);
    const running = await core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web-frontend', fieldSelector: 'status.phase=Running' });
    expect(running.items.map((p) => p.metadata!.name).sort()).toEqual(all.items.map((p) => p.metadata!.name).sort());
    const pending = await core.listNamespacedPod({ namespace: NS, fieldSelector: 'status.phase=Pending' });
    expect(pending.items).toEqual([]);
    const name = all.items[1]!.metadata!.name!;
    const one = await core.listNamespacedPod({ namespace: NS, fieldSelector: `metadata.name=${name}` });
    expect(one.items.map((p) => p.metadata!.name)).toEqual([name]);
    expect(one.items[0]!.status!.phase).toBe('Running');
    expect(one.items[0]!.metadata!.creationTimestamp).toBeInstanceOf(Date);
  });

  it('a bad selector rejects with ApiException 400 carrying the Status', async () => {
    const err = (await core.listNamespacedPod({ namespace: NS, fieldSelector: 'spec.image=x' }).catch((e: unknown) => e)) as ApiException<string>;
    expect(err).toBeInstanceOf(ApiException);
    expect(err.code).toBe(400);
    expect(JSON.parse(err.body)).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'field label not supported: spec.image', code: 400 });
  });

  it('readNamespacedDeployment returns the typed object; a missing one is a 404', async () => {
    const d = await apps.readNamespacedDeployment({ name: 'web-frontend', namespace: NS });
    expect(d.kind).toBe('Deployment');
    expect(d.spec!.replicas).toBe(3);
    expect(d.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: d.metadata!.generation });
    expect(d.status!.conditions!.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    const err = (await apps.readNamespacedDeployment({ name: 'nope', namespace: NS }).catch((e: unknown) => e)) as ApiException<string>;
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });
});

describe('Watch', () => {
  it('receives ADDED, MODIFIED and DELETED from the list resourceVersion', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: NS });
    const events: Array<[string, string, unknown]> = [];
    let done: unknown = 'not yet';
    const ctl = await new Watch(kc).watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: list.metadata!.resourceVersion },
      (type: string, obj: V1ConfigMap) => events.push([type, obj.metadata!.name!, obj.data]),
      (err: unknown) => (done = err),
    );
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('watched', { v: '1' }) });
    await core.patchNamespacedConfigMap({ name: 'watched', namespace: NS, body: { data: { v: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: NS });
    await until(() => events.length >= 3, 'three watch events');
    expect(events).toEqual([
      ['ADDED', 'watched', { v: '1' }],
      ['MODIFIED', 'watched', { v: '2' }],
      ['DELETED', 'watched', { v: '2' }],
    ]);
    ctl.abort();
    await until(() => done !== 'not yet', 'the done callback');
  });

  it('from a compacted resourceVersion: one ERROR event, 410 Expired, then the stream ends', async () => {
    const rv = (await core.listNamespacedConfigMap({ namespace: NS })).metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('after-list') });
    const { compactedTo } = await compact();
    const events: Array<[string, unknown]> = [];
    let done: unknown = 'not yet';
    await new Watch(kc).watch(`/api/v1/namespaces/${NS}/configmaps`, { resourceVersion: rv }, (type: string, obj: unknown) => events.push([type, obj]), (err: unknown) => (done = err));
    await until(() => done !== 'not yet', 'the stream to end');
    expect(done).toBeNull();
    expect(events).toEqual([
      ['ERROR', { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${rv} (${compactedTo})`, reason: 'Expired', code: 410 }],
    ]);
  });
});

describe('informers', () => {
  it('an informer sees a new pod go from Pending to Running and ready', async () => {
    const informer = makeInformer(kc, `/api/v1/namespaces/${NS}/pods`, () => core.listNamespacedPod({ namespace: NS, labelSelector: 'app=web-frontend' }), 'app=web-frontend');
    const seen = new Map<string, string[]>();
    const record = (p: V1Pod) => {
      const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      const states = seen.get(p.metadata!.name!) ?? [];
      const state = `${p.status?.phase}${ready ? '/ready' : ''}`;
      if (states.at(-1) !== state) states.push(state);
      seen.set(p.metadata!.name!, states);
    };
    let connects = 0;
    informer.on('add', record);
    informer.on('update', record);
    informer.on('connect', () => connects++);
    await informer.start();
    try {
      await until(() => seen.size === 3, 'the initial pods');
      expect([...seen.values()]).toEqual([['Running/ready'], ['Running/ready'], ['Running/ready']]);
      const before = new Set(seen.keys());
      await apps.patchNamespacedDeployment(
        { name: 'web-frontend', namespace: NS, body: { spec: { template: { spec: { containers: [{ name: 'web-frontend', image: 'registry.example.com/web-frontend:v1.4.0' }] } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const fresh = () => [...seen.entries()].filter(([name]) => !before.has(name));
      await until(() => fresh().some(([, states]) => states.at(-1) === 'Running/ready'), 'a new pod to become ready', () => f.sim.advance(1_000));
      const [, states] = fresh().find(([, s]) => s.at(-1) === 'Running/ready')!;
      expect(states[0]).toBe('Pending');
      expect(states.at(-1)).toBe('Running/ready');
      expect(informer.list().map((p) => p.metadata!.name)).toEqual(expect.arrayContaining(fresh().map(([n]) => n)));
      expect(connects).toBe(1);
    } finally {
      await informer.stop();
    }
  });

  it('after its watch drops, the caller restarts it (as the docs say); the stale watch gets 410 and it relists', async () => {
    // client-node's ListWatch: a watch that fails with an error calls the error handlers and does not
    // restart; an ERROR event with code 410 clears its resourceVersion, and when that stream ends it
    // reconnects and relists on its own.
    const dropFirstWatch = { path: `/namespaces/${NS}/configmaps$`, watch: true, dropAfterMs: 300, times: 1 };
    expect((await fetch(`${f.sim.url}/_sim/v1/faults`, { method: 'POST', body: JSON.stringify(dropFirstWatch) })).status).toBe(200);
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('keep', { v: '1' }) });
    await core.createNamespacedConfigMap({ namespace: NS, body: cm('doomed') });
    let lists = 0;
    const informer = makeInformer(kc, `/api/v1/namespaces/${NS}/configmaps`, () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: NS });
    });
    const log: string[] = [];
    const errors: unknown[] = [];
    informer.on('connect', () => log.push('connect'));
    informer.on('add', (o) => log.push(`add ${o.metadata!.name}`));
    informer.on('update', (o) => log.push(`update ${o.metadata!.name} ${o.data?.v}`));
    informer.on('delete', (o) => log.push(`delete ${o.metadata!.name}`));
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      await until(() => errors.length === 1, 'the dropped watch to be reported');
      expect((errors[0] as Error).message).toBe('Premature close');
      expect(lists).toBe(1);
      // While nobody watches, the world moves on and the history is compacted.
      await core.patchNamespacedConfigMap({ name: 'keep', namespace: NS, body: { data: { v: '2' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'doomed', namespace: NS });
      await core.createNamespacedConfigMap({ namespace: NS, body: cm('born') });
      await compact();
      log.length = 0;
      await informer.start(); // the documented restart from the error handler
      await until(() => lists === 2 && log.includes('add born'), 'the relist');
      expect(log.filter((l) => l === 'connect')).toHaveLength(2); // the stale watch, then the reconnect after 410
      expect(log).toEqual(expect.arrayContaining(['update keep 2', 'delete doomed', 'add born']));
      expect(informer.get('doomed', NS)).toBeUndefined();
      expect(informer.get('keep', NS)!.data).toEqual({ v: '2' });
      expect(errors).toHaveLength(1);
      // And it keeps watching from the relisted resourceVersion.
      await core.createNamespacedConfigMap({ namespace: NS, body: cm('later') });
      await until(() => log.includes('add later'), 'a change after the relist');
    } finally {
      await informer.stop();
    }
  });
});
