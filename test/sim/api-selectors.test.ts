/**
 * Reading collections as a real kube-apiserver serves them: label and field
 * selectors, limit/continue paging, resourceVersions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTable } from '../helpers/kubectl.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;

interface Obj {
  metadata: { name: string; resourceVersion: string; labels?: Record<string, string> };
}
interface List {
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
}

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(f.sim.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const names = async (path: string) => (await call<List>('GET', path)).body.items.map((i) => i.metadata.name);
const pod = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] },
});
const event = (name: string, kind: string, object: string, reason: string, type: string, component: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name },
  involvedObject: { kind, name: object, namespace: 'shop', apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1' },
  reason,
  type,
  message: `${reason} happened`,
  source: { component },
  count: 1,
  firstTimestamp: '2025-01-01T00:00:00Z',
  lastTimestamp: '2025-01-01T00:00:00Z',
});

beforeAll(async () => {
  f = await startSim({ controllers: false });
  await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  const pods = [
    pod('p1', { app: 'web', tier: 'frontend', track: 'stable', rank: '1' }),
    pod('p2', { app: 'web', tier: 'backend' }),
    pod('p3', { app: 'api', tier: 'backend', track: 'canary', rank: '10' }),
    pod('p4', { app: 'db' }),
  ];
  for (const p of pods) expect((await call('POST', '/api/v1/namespaces/shop/pods', p)).status).toBe(201);
  const events = [
    event('web-1.a', 'Pod', 'web-1', 'BackOff', 'Warning', 'kubelet'),
    event('web-2.b', 'Pod', 'web-2', 'Pulled', 'Normal', 'kubelet'),
    event('web.c', 'Deployment', 'web', 'ScalingReplicaSet', 'Normal', 'deployment-controller'),
    event('web-abc.d', 'ReplicaSet', 'web-abc', 'FailedCreate', 'Warning', 'replicaset-controller'),
  ];
  for (const e of events) expect((await call('POST', '/api/v1/namespaces/shop/events', e)).status).toBe(201);
});
afterAll(() => f.sim.stop());

describe('label selectors', () => {
  it.each([
    ['app=web', ['p1', 'p2']],
    ['app==web', ['p1', 'p2']],
    ['app!=web', ['p3', 'p4']],
    ['tier in (frontend,cache)', ['p1']],
    ['tier notin (frontend)', ['p2', 'p3', 'p4']],
    ['track', ['p1', 'p3']],
    ['!track', ['p2', 'p4']],
    ['app=web,!track', ['p2']],
    ['tier in (backend), app != api', ['p2']],
    ['rank>2', ['p3']],
    ['rank<5', ['p1']],
    ['app in (web,api),track notin (canary)', ['p1', 'p2']],
    ['', ['p1', 'p2', 'p3', 'p4']],
  ])('%j selects %j', async (selector, expected) => {
    expect(await names(`/api/v1/namespaces/shop/pods?labelSelector=${encodeURIComponent(selector)}`)).toEqual(expected);
  });

  it('kubectl -l sends the selector to the server', async () => {
    const rows = parseTable(await f.kubectl.ok('get', 'pods', '-n', 'shop', '-l', 'tier notin (frontend),!track'));
    expect(rows.map((r) => r.NAME)).toEqual(['p2', 'p4']);
    const none = await f.kubectl.run('get', 'pods', '-n', 'shop', '-l', 'app=nothing');
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe('No resources found in shop namespace.\n');
  });

  it('label and field selectors combine', async () => {
    expect(await names('/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Dp2')).toEqual(['p2']);
    expect(await names('/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb&fieldSelector=metadata.name!%3Dp2')).toEqual(['p1']);
  });
});

describe('field selectors on events', () => {
  it.each([
    ['involvedObject.name=web-1', ['web-1.a']],
    ['involvedObject.kind=Pod', ['web-1.a', 'web-2.b']],
    ['reason=BackOff', ['web-1.a']],
    ['type=Warning', ['web-1.a', 'web-abc.d']],
    ['type!=Warning', ['web-2.b', 'web.c']],
    ['involvedObject.kind=Pod,type=Normal', ['web-2.b']],
    ['source=kubelet', ['web-1.a', 'web-2.b']],
    ['involvedObject.namespace=shop,involvedObject.kind=Deployment,involvedObject.name=web', ['web.c']],
    ['metadata.name=web.c', ['web.c']],
    ['reason=Nothing', []],
  ])('%j selects %j', async (selector, expected) => {
    expect(await names(`/api/v1/namespaces/shop/events?fieldSelector=${encodeURIComponent(selector)}`)).toEqual(expected);
  });

  it('kubectl get events --field-selector prints only the matching rows', async () => {
    const rows = parseTable(await f.kubectl.ok('get', 'events', '-n', 'shop', '--field-selector', 'type=Warning', '-o', 'wide'));
    expect(rows.map((r) => [r.TYPE, r.REASON, r.OBJECT, r.SOURCE])).toEqual([
      ['Warning', 'BackOff', 'pod/web-1', 'kubelet'],
      ['Warning', 'FailedCreate', 'replicaset/web-abc', 'replicaset-controller'],
    ]);
  });

  it('pods select on status.phase and spec.nodeName, with unset fields read as empty', async () => {
    expect(await names('/api/v1/namespaces/shop/pods?fieldSelector=status.phase%3DPending')).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(await names('/api/v1/namespaces/shop/pods?fieldSelector=status.phase%3DRunning')).toEqual([]);
    expect(await names('/api/v1/namespaces/shop/pods?fieldSelector=spec.nodeName%3D')).toEqual(['p1', 'p2', 'p3', 'p4']);
    // spec.hostNetwork is a Go bool: unset reads as "false".
    expect(await names('/api/v1/namespaces/shop/pods?fieldSelector=spec.hostNetwork%3Dfalse')).toEqual(['p1', 'p2', 'p3', 'p4']);
    // The old spec.host name is converted to spec.nodeName.
    expect(await names('/api/v1/namespaces/shop/pods?fieldSelector=spec.host%3Dnode-9')).toEqual([]);
  });
});

describe('limit and continue', () => {
  beforeAll(async () => {
    for (const n of ['c5', 'c3', 'c1', 'c4', 'c2']) {
      expect((await call('POST', '/api/v1/namespaces/shop/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n } })).status).toBe(201);
    }
  });

  it('pages in key order with an opaque continue token and remainingItemCount', async () => {
    const first = (await call<List>('GET', '/api/v1/namespaces/shop/configmaps?limit=2')).body;
    expect(first.items.map((i) => i.metadata.name)).toEqual(['c1', 'c2']);
    expect(first.metadata.remainingItemCount).toBe(3);
    expect(first.metadata.continue).toMatch(/^[A-Za-z0-9_-]+$/); // base64.RawURLEncoding, as the apiserver encodes it
    const second = (await call<List>('GET', `/api/v1/namespaces/shop/configmaps?limit=2&continue=${first.metadata.continue}`)).body;
    expect(second.items.map((i) => i.metadata.name)).toEqual(['c3', 'c4']);
    expect(second.metadata.remainingItemCount).toBe(1);
    const last = (await call<List>('GET', `/api/v1/namespaces/shop/configmaps?limit=2&continue=${second.metadata.continue}`)).body;
    expect(last.items.map((i) => i.metadata.name)).toEqual(['c5']);
    expect(last.metadata).not.toHaveProperty('continue');
    expect(last.metadata).not.toHaveProperty('remainingItemCount');
  });

  it('a limit at or above the count returns everything without a token', async () => {
    const all = (await call<List>('GET', '/api/v1/namespaces/shop/configmaps?limit=5')).body;
    expect(all.items).toHaveLength(5);
    expect(all.metadata).toEqual({ resourceVersion: all.metadata.resourceVersion });
  });

  it('a garbled continue token is a 400', async () => {
    const r = await call('GET', '/api/v1/namespaces/shop/configmaps?limit=2&continue=bm90LWpzb24');
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
  });

  it('kubectl get --chunk-size=2 follows the tokens and lists every object', async () => {
    const r = await f.kubectl.run('get', 'configmaps', '-n', 'shop', '--chunk-size=2', '-v=6');
    expect(r.code).toBe(0);
    expect(parseTable(r.stdout).map((row) => row.NAME)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    const pageRequests = r.stderr.split('\n').filter((l) => /GET \S+\/namespaces\/shop\/configmaps\?\S*limit=2/.test(l));
    expect(pageRequests).toHaveLength(3);
    expect(pageRequests.filter((l) => l.includes('continue='))).toHaveLength(2);
  });
});

describe('resourceVersion', () => {
  it('increases with every write, and the list carries the newest', async () => {
    const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv' }, data: { n: '0' } };
    const created = (await call<Obj>('POST', '/api/v1/namespaces/shop/configmaps', base)).body;
    const rvs = [Number(created.metadata.resourceVersion)];
    for (let n = 1; n <= 3; n++) {
      const updated = await call<Obj>('PUT', '/api/v1/namespaces/shop/configmaps/rv', { ...base, data: { n: String(n) } });
      rvs.push(Number(updated.body.metadata.resourceVersion));
    }
    expect(rvs.every((rv, i) => i === 0 || rv > rvs[i - 1]!)).toBe(true);
    const list = (await call<List>('GET', '/api/v1/namespaces/shop/configmaps')).body;
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(rvs[3]!);
    expect(list.items.find((i) => i.metadata.name === 'rv')!.metadata.resourceVersion).toBe(String(rvs[3]));
  });

  it('a write that changes nothing keeps the resourceVersion', async () => {
    const before = (await call<Obj>('GET', '/api/v1/namespaces/shop/configmaps/rv')).body;
    const same = await call<Obj>('PUT', '/api/v1/namespaces/shop/configmaps/rv', before);
    expect(same.status).toBe(200);
    expect(same.body.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('a delete answers with a Success Status naming the object (configmaps do not return the object)', async () => {
    const before = (await call<Obj & { metadata: { uid: string } }>('GET', '/api/v1/namespaces/shop/configmaps/rv')).body;
    const deleted = await call('DELETE', '/api/v1/namespaces/shop/configmaps/rv');
    expect(deleted.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'rv', kind: 'configmaps', uid: before.metadata.uid } });
    expect((await call('GET', '/api/v1/namespaces/shop/configmaps/rv')).status).toBe(404);
  });

  it('pods are returned by their DELETE, with a newer resourceVersion', async () => {
    const before = (await call<Obj>('GET', '/api/v1/namespaces/shop/pods/p4')).body;
    const deleted = (await call<Obj & { kind: string }>('DELETE', '/api/v1/namespaces/shop/pods/p4')).body;
    expect(deleted.kind).toBe('Pod');
    expect(deleted.metadata.name).toBe('p4');
    expect(Number(deleted.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
  });
});
