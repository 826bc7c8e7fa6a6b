/**
 * Writing through the simulated apiserver as a real one behaves: generation,
 * dry runs, the three PATCH formats, the scale subresource, deletecollection,
 * namespace deletion and garbage collection, driven by real kubectl.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTable } from '../helpers/kubectl.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const dir = mkdtempSync(join(tmpdir(), 'api-writes-'));
const IMAGE = 'registry.example.com/web-frontend:v1.4.0';

interface Meta {
  name: string;
  uid: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ uid: string; kind: string }>;
}
interface Obj {
  kind: string;
  metadata: Meta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

async function call<T = Obj>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> {
  const res = await fetch(f.sim.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
const get = async <T = Obj>(path: string) => (await call<T>('GET', path)).body;
const items = async (path: string) => (await get<{ items: Obj[] }>(path)).items;

/** The first `n` events of a watch response. */
async function readLines(res: Response, n: number): Promise<Array<{ type: string; object: unknown }>> {
  const reader = res.body!.getReader();
  let text = '';
  while (text.split('\n').filter(Boolean).length < n) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  return text.split('\n').filter(Boolean).slice(0, n).map((l) => JSON.parse(l) as { type: string; object: unknown });
}

function file(name: string, obj: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(obj));
  return path;
}

const deployment = (name: string, namespace: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: IMAGE }] } },
  },
});
const DEPLOY = '/apis/apps/v1/namespaces/shop/deployments';

beforeAll(async () => {
  f = await startSim();
  await f.kubectl.ok('create', '-f', file('ns.json', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }));
  await f.kubectl.ok('create', '-f', file('web.json', deployment('web', 'shop')));
  f.sim.advance(30_000);
});
afterAll(() => f.sim.stop());

describe('metadata.generation', () => {
  it('starts at 1 and moves on spec changes (and, for Deployments, annotation changes), never on labels or status', async () => {
    const generation = async () => (await get(`${DEPLOY}/web`)).metadata.generation;
    expect(await generation()).toBe(1);
    await f.kubectl.ok('label', 'deployment', 'web', '-n', 'shop', 'team=checkout');
    expect(await generation()).toBe(1);
    await f.kubectl.ok('annotate', 'deployment', 'web', '-n', 'shop', 'owner=payments');
    expect(await generation()).toBe(2);
    await f.kubectl.ok('patch', 'deployment', 'web', '-n', 'shop', '--type', 'merge', '-p', '{"spec":{"minReadySeconds":1}}');
    expect(await generation()).toBe(3);
    const current = await get(`${DEPLOY}/web`);
    const status = await call('PUT', `${DEPLOY}/web/status`, { ...current, status: { ...current.status, replicas: 7 } });
    expect(status.status).toBe(200);
    expect(status.body.metadata.generation).toBe(3);
    f.sim.advance(1_000);
    expect((await get(`${DEPLOY}/web`)).status!.observedGeneration).toBe(3);
  });

  it('ReplicaSets bump only on spec changes', async () => {
    const [rs] = await items('/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dweb');
    const path = `/apis/apps/v1/namespaces/shop/replicasets/${rs!.metadata.name}`;
    await call('PATCH', path, { metadata: { annotations: { note: 'x' } } }, 'application/merge-patch+json');
    expect((await get(path)).metadata.generation).toBe(rs!.metadata.generation);
  });
});

describe('dryRun=All', () => {
  it('create answers as if created (uid, no resourceVersion) but stores nothing', async () => {
    const r = await call('POST', '/api/v1/namespaces/shop/configmaps?dryRun=All', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } });
    expect(r.status).toBe(201);
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.resourceVersion).toBeUndefined();
    expect((await call('GET', '/api/v1/namespaces/shop/configmaps/dry')).status).toBe(404);
    expect(await f.kubectl.ok('create', 'configmap', 'dry2', '-n', 'shop', '--from-literal=a=1', '--dry-run=server', '-o', 'name')).toBe('configmap/dry2\n');
    expect((await call('GET', '/api/v1/namespaces/shop/configmaps/dry2')).status).toBe(404);
  });

  it('update, patch, scale and delete change nothing', async () => {
    const before = await get(`${DEPLOY}/web`);
    expect(await f.kubectl.ok('scale', 'deployment', 'web', '-n', 'shop', '--replicas=9', '--dry-run=server')).toBe('deployment.apps/web scaled (server dry run)\n');
    const patched = await call('PATCH', `${DEPLOY}/web?dryRun=All`, { spec: { replicas: 4 } }, 'application/merge-patch+json');
    expect((patched.body.spec as { replicas: number }).replicas).toBe(4);
    expect(await f.kubectl.ok('delete', 'deployment', 'web', '-n', 'shop', '--dry-run=server')).toBe('deployment.apps "web" deleted (server dry run)\n');
    const after = await get(`${DEPLOY}/web`);
    expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
    expect((after.spec as { replicas: number }).replicas).toBe(2);
  });
});

describe('PATCH over HTTP with kubectl patch', () => {
  const image = async () => (await get<{ spec: { template: { spec: { containers: Array<{ image: string; env?: unknown[] }> } } } }>(`${DEPLOY}/web`)).spec.template.spec.containers[0]!;

  it('--type json applies RFC 6902 operations', async () => {
    const out = await f.kubectl.ok('patch', 'deployment', 'web', '-n', 'shop', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/tier","value":"front"},{"op":"replace","path":"/spec/replicas","value":3}]');
    expect(out).toBe('deployment.apps/web patched\n');
    const d = await get(`${DEPLOY}/web`);
    expect(d.metadata.labels).toEqual({ app: 'web', team: 'checkout', tier: 'front' });
    expect((d.spec as { replicas: number }).replicas).toBe(3);
  });

  it('a failing json-patch test op is a bare 422 (NewGenericServerResponse) and changes nothing', async () => {
    const before = await get(`${DEPLOY}/web`);
    const ops = [{ op: 'test', path: '/spec/replicas', value: 9 }];
    const r = await call<Record<string, unknown>>('PATCH', `${DEPLOY}/web`, ops, 'application/json-patch+json');
    expect(r.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server rejected our request due to an error in our request',
      reason: 'Invalid',
      details: {},
      code: 422,
    });
    const k = await f.kubectl.run('patch', 'deployment', 'web', '-n', 'shop', '--type', 'json', '-p', JSON.stringify(ops));
    expect(k.stderr).toBe('The request is invalid: the server rejected our request due to an error in our request\n');
    expect((await get(`${DEPLOY}/web`)).metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('--type merge replaces lists and deletes keys set to null', async () => {
    await f.kubectl.ok('patch', 'deployment', 'web', '-n', 'shop', '--type', 'merge', '-p', '{"metadata":{"labels":{"tier":null}}}');
    expect((await get(`${DEPLOY}/web`)).metadata.labels).toEqual({ app: 'web', team: 'checkout' });
  });

  it('--type strategic merges containers by name', async () => {
    await f.kubectl.ok('patch', 'deployment', 'web', '-n', 'shop', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"MODE","value":"fast"}]}]}}}}');
    expect(await image()).toMatchObject({ image: IMAGE, env: [{ name: 'MODE', value: 'fast' }] });
    expect(await f.kubectl.ok('patch', 'deployment', 'web', '-n', 'shop', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"MODE","value":"fast"}]}]}}}}')).toBe(
      'deployment.apps/web patched (no change)\n',
    );
  });

  it('an unknown patch content type is a 415', async () => {
    const r = await call<Record<string, unknown>>('PATCH', `${DEPLOY}/web`, { spec: {} }, 'application/x-yaml');
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });
});

describe('the scale subresource', () => {
  it('kubectl scale changes spec.replicas and the controllers follow', async () => {
    expect(await f.kubectl.ok('scale', 'deployment', 'web', '-n', 'shop', '--replicas=5')).toBe('deployment.apps/web scaled\n');
    f.sim.advance(30_000);
    const rows = parseTable(await f.kubectl.ok('get', 'deployment', 'web', '-n', 'shop'));
    expect(rows[0]).toMatchObject({ NAME: 'web', READY: '5/5', 'UP-TO-DATE': '5', AVAILABLE: '5' });
    expect(await items('/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb')).toHaveLength(5);
  });

  it('GET .../scale is an autoscaling/v1 Scale carrying the selector as a string', async () => {
    const scale = await get<Record<string, unknown>>(`${DEPLOY}/web/scale`);
    const d = await get(`${DEPLOY}/web`);
    expect(scale).toEqual({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'shop', uid: d.metadata.uid, resourceVersion: d.metadata.resourceVersion, creationTimestamp: expect.any(String) },
      spec: { replicas: 5 },
      status: { replicas: 5, selector: 'app=web' },
    });
  });

  it('kubectl scale --current-replicas is a precondition', async () => {
    const r = await f.kubectl.run('scale', 'deployment', 'web', '-n', 'shop', '--replicas=1', '--current-replicas=4');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: Expected replicas to be 4, was 5\n');
  });
});

describe('deleting', () => {
  it('deletecollection removes what the selector matches and answers with the deleted list', async () => {
    for (const [name, team] of [['a', 'x'], ['b', 'x'], ['c', 'y']]) {
      await call('POST', '/api/v1/namespaces/shop/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { team } } });
    }
    const r = await call<{ kind: string; items: Obj[] }>('DELETE', '/api/v1/namespaces/shop/configmaps?labelSelector=team%3Dx');
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('ConfigMapList');
    expect(r.body.items.map((i) => i.metadata.name)).toEqual(['a', 'b']);
    expect((await items('/api/v1/namespaces/shop/configmaps?labelSelector=team')).map((i) => i.metadata.name)).toEqual(['c']);
  });

  it('kubectl delete deployment garbage-collects its ReplicaSets and their pods', async () => {
    await f.kubectl.ok('create', '-f', file('gc.json', deployment('gc', 'shop', 2)));
    f.sim.advance(30_000);
    const rs = await items('/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dgc');
    expect(rs).toHaveLength(1);
    const pods = await items('/api/v1/namespaces/shop/pods?labelSelector=app%3Dgc');
    expect(pods.map((p) => p.metadata.ownerReferences![0]!.uid)).toEqual([rs[0]!.metadata.uid, rs[0]!.metadata.uid]);
    expect(await f.kubectl.ok('delete', 'deployment', 'gc', '-n', 'shop')).toBe('deployment.apps "gc" deleted\n');
    f.sim.advance(60_000);
    expect(await items('/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dgc')).toEqual([]);
    expect(await items('/api/v1/namespaces/shop/pods?labelSelector=app%3Dgc')).toEqual([]);
  });

  it('--cascade=orphan leaves the ReplicaSet, without its owner reference', async () => {
    await f.kubectl.ok('create', '-f', file('orphan.json', deployment('orphan', 'shop', 1)));
    f.sim.advance(30_000);
    await f.kubectl.ok('delete', 'deployment', 'orphan', '-n', 'shop', '--cascade=orphan');
    f.sim.advance(30_000);
    const [rs] = await items('/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dorphan');
    expect(rs!.metadata.ownerReferences).toBeUndefined();
    expect(await items('/api/v1/namespaces/shop/pods?labelSelector=app%3Dorphan')).toHaveLength(1);
  });

  it('deleting a namespace deletes everything in it', async () => {
    await f.kubectl.ok('create', '-f', file('tmp-ns.json', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } }));
    await f.kubectl.ok('create', '-f', file('tmp-dep.json', deployment('job', 'tmp', 1)));
    await f.kubectl.ok('create', '-f', file('tmp-cm.json', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'tmp' } }));
    f.sim.advance(30_000);
    expect(parseTable(await f.kubectl.ok('get', 'pods', '-n', 'tmp'))).toHaveLength(1);
    const watch = await fetch(`${f.sim.url}/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Dtmp&resourceVersion=${(await get('/api/v1/namespaces/tmp')).metadata.resourceVersion}`);
    // DELETE answers with the namespace gone Terminating, as the namespace REST storage does.
    const answer = await call<Obj & { metadata: { deletionTimestamp?: string } }>('DELETE', '/api/v1/namespaces/tmp?dryRun=All');
    expect(answer.body.status).toEqual({ phase: 'Terminating' });
    expect(answer.body.metadata.deletionTimestamp).toEqual(expect.any(String));
    expect(await f.kubectl.ok('delete', 'namespace', 'tmp')).toBe('namespace "tmp" deleted\n');
    const events = (await readLines(watch, 2)).map((e) => [e.type, (e.object as Obj).status!.phase]);
    expect(events).toEqual([
      ['MODIFIED', 'Terminating'],
      ['DELETED', 'Terminating'],
    ]);
    f.sim.advance(30_000);
    const left = await f.kubectl.run('get', 'deploy,rs,pods,cm,sa', '-n', 'tmp');
    expect(left.stdout).toBe('');
    expect(left.stderr).toBe('No resources found in tmp namespace.\n');
    expect((await f.kubectl.run('get', 'namespace', 'tmp')).stderr).toBe('Error from server (NotFound): namespaces "tmp" not found\n');
  });
});
