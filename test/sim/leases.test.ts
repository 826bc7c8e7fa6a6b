/**
 * coordination.k8s.io/v1 Leases as the apiserver serves them to a leader
 * elector: discovery, create (409 AlreadyExists when it exists), get, list,
 * and update with optimistic concurrency (409 Conflict with the apiserver's
 * Status body for a stale resourceVersion), MicroTimes kept to the microsecond.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureStatus, startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
beforeAll(async () => {
  f = await startSim();
  await f.kubectl.ok('create', 'namespace', 'ops');
});
afterAll(() => f?.sim.stop());

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/ops/leases';

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, any> }> {
  const res = await fetch(f.sim.url + path, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const lease = (holder: string, over: Record<string, unknown> = {}) => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name: 'deploy-medic', namespace: 'ops', ...over },
  spec: { holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: '2026-03-04T10:27:00.123456Z', renewTime: '2026-03-04T10:27:00.123456Z', leaseTransitions: 0 },
});

describe('Leases', () => {
  it('are in discovery as coordination.k8s.io/v1 with the verbs an elector uses', async () => {
    const groups = await f.get<{ groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> }>('/apis');
    expect(groups.groups.find((g) => g.name === 'coordination.k8s.io')?.preferredVersion.groupVersion).toBe('coordination.k8s.io/v1');
    const resources = await f.get<{ resources: Array<{ name: string; namespaced: boolean; kind: string; verbs: string[] }> }>('/apis/coordination.k8s.io/v1');
    expect(resources.resources.find((r) => r.name === 'leases')).toMatchObject({ namespaced: true, kind: 'Lease', verbs: expect.arrayContaining(['get', 'list', 'create', 'update']) });
  });

  it('create, then a second create of the same name: 409 AlreadyExists', async () => {
    const created = await call('POST', LEASES, lease('replica-a'));
    expect(created.status).toBe(201);
    expect(created.body.spec).toEqual(lease('replica-a').spec);
    expect(created.body.metadata.resourceVersion).toMatch(/^\d+$/);
    const again = await call('POST', LEASES, lease('replica-b'));
    expect(again.status).toBe(409);
    expect(again.body).toEqual(failureStatus(409, 'AlreadyExists', 'leases.coordination.k8s.io "deploy-medic" already exists', { name: 'deploy-medic', group: 'coordination.k8s.io', kind: 'leases' }));
    expect((await call('GET', `${LEASES}/deploy-medic`)).body.spec.holderIdentity).toBe('replica-a');
  });

  it('an update at the version read wins; the racer still holding that version gets 409 Conflict and changes nothing', async () => {
    const read = (await call('GET', `${LEASES}/deploy-medic`)).body;
    const version = read.metadata.resourceVersion as string;
    const renewed = { ...read, spec: { ...read.spec, renewTime: '2026-03-04T10:27:02.000001Z' } };
    const takeover = { ...read, spec: { ...read.spec, holderIdentity: 'replica-b', leaseTransitions: 1 } };
    const first = await call('PUT', `${LEASES}/deploy-medic`, renewed);
    expect(first.status).toBe(200);
    expect(Number(first.body.metadata.resourceVersion)).toBeGreaterThan(Number(version));
    expect(first.body.spec.renewTime).toBe('2026-03-04T10:27:02.000001Z');
    const stale = await call('PUT', `${LEASES}/deploy-medic`, takeover);
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual(
      failureStatus(409, 'Conflict', 'Operation cannot be fulfilled on leases.coordination.k8s.io "deploy-medic": the object has been modified; please apply your changes to the latest version and try again', {
        name: 'deploy-medic',
        group: 'coordination.k8s.io',
        kind: 'leases',
      }),
    );
    const now = (await call('GET', `${LEASES}/deploy-medic`)).body;
    expect(now.spec).toMatchObject({ holderIdentity: 'replica-a', leaseTransitions: 0 });
    expect(now.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
  });

  it('list and kubectl show the holder', async () => {
    const list = (await call('GET', LEASES)).body;
    expect(list).toMatchObject({ kind: 'LeaseList', apiVersion: 'coordination.k8s.io/v1', items: [{ metadata: { name: 'deploy-medic' } }] });
    expect(await f.kubectl.ok('get', 'lease', 'deploy-medic', '-n', 'ops', '-o', 'jsonpath={.spec.holderIdentity}')).toBe('replica-a');
  });

  it('a missing Lease is 404 NotFound, as an elector\'s first get sees it', async () => {
    const missing = await call('GET', `${LEASES}/nobody`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(failureStatus(404, 'NotFound', 'leases.coordination.k8s.io "nobody" not found', { name: 'nobody', group: 'coordination.k8s.io', kind: 'leases' }));
  });
});
