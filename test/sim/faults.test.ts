/**
 * Fault injection through POST /_sim/v1/faults: latency, error statuses with
 * apiserver-shaped Status bodies, Retry-After, `times`, per-route matching,
 * dropped watches, and clearing, seen by fetch, kubectl and client-node.
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failureStatus as status, startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;

beforeAll(async () => {
  f = await startSim({ controllers: false });
  for (const ns of ['prod', 'staging']) {
    await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await call('POST', `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
  }
});
afterEach(() => call('DELETE', '/_sim/v1/faults'));
afterAll(() => f.sim.stop());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(f.sim.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'Content-Type': 'application/json' } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const inject = async (rule: Record<string, unknown> | { rules: Array<Record<string, unknown>> }) => {
  const r = await call('POST', '/_sim/v1/faults', rule);
  expect(r.status).toBe(200);
  return r.body;
};
const CFG = '/api/v1/namespaces/prod/configmaps';

describe('injected faults', () => {
  it('latency delays a matching request by at least the configured time', async () => {
    await inject({ path: `${CFG}$`, method: 'GET', latencyMs: 300 });
    const t0 = performance.now();
    const r = await call('GET', CFG);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
    expect(r.status).toBe(200);
  });

  it('a 500 carries an InternalError Status; `times` limits how often', async () => {
    await inject({ path: `${CFG}$`, status: 500, times: 2 });
    const first = await call('GET', CFG);
    expect(first.body).toEqual(status(500, 'InternalError', 'Internal error occurred: injected fault'));
    expect((await call('GET', CFG)).status).toBe(500);
    expect((await call('GET', CFG)).status).toBe(200);
    expect((await call('GET', '/_sim/v1/faults')).body).toEqual({ rules: [{ path: `${CFG}$`, status: 500, times: 2 }] });
  });

  it('a 503 is a ServiceUnavailable Status, and kubectl prints it as the real error', async () => {
    await inject({ path: '/namespaces/prod/configmaps', status: 503 });
    expect((await call('GET', CFG)).body).toEqual(status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
    const k = await f.kubectl.run('get', 'configmaps', '-n', 'prod');
    expect(k.code).toBe(1);
    expect(k.stderr).toBe('Error from server (ServiceUnavailable): the server is currently unable to handle the request\n');
    const own = await inject({ rules: [{ path: '/namespaces/staging/', status: 503, message: 'etcdserver: leader changed' }] });
    expect(own.rules).toHaveLength(2);
    expect((await f.kubectl.run('get', 'configmap', 'cfg', '-n', 'staging')).stderr).toBe('Error from server (ServiceUnavailable): etcdserver: leader changed\n');
  });

  it('a 429 sends Retry-After, and client-go waits that long and retries', async () => {
    await inject({ path: `${CFG}$`, status: 429, retryAfterSeconds: 2, times: 1 });
    const r = await call('GET', CFG);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    expect(r.body).toEqual(status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 2 }));

    await inject({ path: `${CFG}$`, status: 429, retryAfterSeconds: 1, times: 1 });
    const t0 = performance.now();
    const k = await f.kubectl.run('get', 'configmaps', '-n', 'prod', '-v=6');
    expect(k.code).toBe(0);
    expect(k.stdout).toMatch(/^NAME\s+DATA\s+AGE\ncfg\s+0\s+/);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
    const gets = k.stderr.split('\n').filter((l) => /GET \S+\/namespaces\/prod\/configmaps\?limit=500 /.test(l));
    expect(gets.map((l) => /\s(\d{3}) /.exec(l)![1])).toEqual(['429', '200']);
  });

  it("a 409 is the apiserver's Conflict for the object named, and kubectl prints it", async () => {
    await inject({ path: `${CFG}/cfg$`, method: 'PATCH', status: 409, times: 1 });
    const r = await f.kubectl.run('label', 'configmap', 'cfg', '-n', 'prod', 'team=payments');
    expect(r.stderr).toBe(
      'Error from server (Conflict): Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again\n',
    );
    expect((await call('GET', `${CFG}/cfg`)).body.metadata).not.toHaveProperty('labels');
  });

  it('matches per route: path pattern, method and watch', async () => {
    await inject({ path: '/namespaces/prod/', method: 'DELETE', status: 403 });
    expect((await call('GET', `${CFG}/cfg`)).status).toBe(200);
    expect((await call('DELETE', '/api/v1/namespaces/staging/configmaps/cfg')).status).toBe(200);
    const denied = await call('DELETE', `${CFG}/cfg`);
    expect(denied.body).toEqual(
      status(403, 'Forbidden', 'configmaps "cfg" is forbidden: User "system:serviceaccount:deploy-medic:deploy-medic" cannot delete resource "configmaps" in API group "" in the namespace "prod"', {
        name: 'cfg',
        kind: 'configmaps',
      }),
    );
    const k = await f.kubectl.run('delete', 'configmap', 'cfg', '-n', 'prod');
    expect(k.stderr).toBe(
      'Error from server (Forbidden): configmaps "cfg" is forbidden: User "system:serviceaccount:deploy-medic:deploy-medic" cannot delete resource "configmaps" in API group "" in the namespace "prod"\n',
    );
    await inject({ path: '/deployments', status: 403, user: 'alice' });
    expect((await call('GET', '/apis/apps/v1/deployments')).body.message).toBe(
      'deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" at the cluster scope',
    );
    await inject({ path: `${CFG}$`, watch: true, status: 500 });
    expect((await call('GET', CFG)).status).toBe(200);
    expect((await call('GET', `${CFG}?watch=true`)).status).toBe(500);
  });

  it('a dropped watch closes after dropAfterMs and client-node\'s Watch calls done', async () => {
    await inject({ path: `${CFG}$`, watch: true, dropAfterMs: 250 });
    const kc = new KubeConfig();
    kc.loadFromString(f.sim.kubeconfig());
    const events: string[] = [];
    const t0 = performance.now();
    const done = await new Promise<{ err: unknown; ms: number }>((resolve) => {
      void new Watch(kc).watch(CFG, {}, (type: string, obj: { metadata: { name: string } }) => events.push(`${type} ${obj.metadata.name}`), (err: unknown) =>
        resolve({ err, ms: performance.now() - t0 }),
      );
    });
    expect(events).toEqual(['ADDED cfg']);
    expect(done.ms).toBeGreaterThanOrEqual(250);
    expect((done.err as Error).message).toBe('Premature close');
    expect((await call('GET', CFG)).status).toBe(200); // lists are not watches
  });

  it('DELETE clears every rule', async () => {
    await inject({ rules: [{ path: '.*', status: 500 }, { path: '.*', latencyMs: 50 }] });
    expect((await call('GET', CFG)).status).toBe(500);
    expect((await call('DELETE', '/_sim/v1/faults')).body).toEqual({ rules: [] });
    expect((await call('GET', '/_sim/v1/faults')).body).toEqual({ rules: [] });
    expect((await call('GET', CFG)).status).toBe(200);
  });

  it('a rule the schema refuses is a 400 and changes nothing', async () => {
    const r = await call('POST', '/_sim/v1/faults', { path: '.*', status: 418 });
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('BadRequest');
    expect((await call('GET', '/_sim/v1/faults')).body).toEqual({ rules: [] });
  });
});
