/**
 * Error answers of the simulated apiserver, byte for byte what a real
 * kube-apiserver sends (metav1.Status bodies), and what kubectl makes of them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureStatus as status, startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const dir = mkdtempSync(join(tmpdir(), 'api-errors-'));

beforeAll(async () => {
  f = await startSim({ controllers: false });
  await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
});
afterAll(() => f.sim.stop());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(f.sim.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function file(name: string, obj: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(obj));
  return path;
}

const deployment = (name: string, selectorApp = 'web', templateApp = 'web') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: selectorApp } },
    template: { metadata: { labels: { app: templateApp } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
});

describe('404 NotFound', () => {
  it('names the group-qualified resource and carries name, group and kind (the plural)', async () => {
    const r = await call('GET', '/apis/apps/v1/namespaces/shop/deployments/x');
    expect(r.status).toBe(404);
    expect(r.body).toEqual(status(404, 'NotFound', 'deployments.apps "x" not found', { name: 'x', group: 'apps', kind: 'deployments' }));
  });

  it('omits the empty core group', async () => {
    const r = await call('DELETE', '/api/v1/namespaces/shop/pods/gone');
    expect(r.body).toEqual(status(404, 'NotFound', 'pods "gone" not found', { name: 'gone', kind: 'pods' }));
  });

  it('kubectl prints "Error from server (NotFound)"', async () => {
    const r = await f.kubectl.run('get', 'deployment', 'x', '-n', 'shop');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): deployments.apps "x" not found\n');
  });

  it('creating into a namespace that does not exist is a NotFound for the namespace', async () => {
    const r = await call('POST', '/api/v1/namespaces/nowhere/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(r.body).toEqual(status(404, 'NotFound', 'namespaces "nowhere" not found', { name: 'nowhere', kind: 'namespaces' }));
  });
});

describe('409', () => {
  it('AlreadyExists on a second create', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } };
    expect((await call('POST', '/api/v1/namespaces/shop/configmaps', cm)).status).toBe(201);
    const r = await call('POST', '/api/v1/namespaces/shop/configmaps', cm);
    expect(r.body).toEqual(status(409, 'AlreadyExists', 'configmaps "settings" already exists', { name: 'settings', kind: 'configmaps' }));
    const k = await f.kubectl.run('create', '-f', file('settings.json', { ...cm, metadata: { ...cm.metadata, namespace: 'shop' } }));
    expect(k.stderr).toBe(`Error from server (AlreadyExists): error when creating "${join(dir, 'settings.json')}": configmaps "settings" already exists\n`);
  });

  it('Conflict on a PUT carrying a stale resourceVersion; the current one succeeds', async () => {
    const created = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('web'));
    expect(created.status).toBe(201);
    const current = created.body as { metadata: { resourceVersion: string } };
    const stale = { ...deployment('web'), metadata: { name: 'web', namespace: 'shop', resourceVersion: current.metadata.resourceVersion } };
    const first = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web', { ...stale, spec: { ...stale.spec, replicas: 2 } });
    expect(first.status).toBe(200);
    const second = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web', { ...stale, spec: { ...stale.spec, replicas: 3 } });
    expect(second.body).toEqual(
      status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
        { name: 'web', group: 'apps', kind: 'deployments' },
      ),
    );
    const k = await f.kubectl.run('replace', '-f', file('stale.json', stale));
    expect(k.stderr).toBe(
      `Error from server (Conflict): error when replacing "${join(dir, 'stale.json')}": Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again\n`,
    );
  });
});

describe('422 Invalid', () => {
  const SUBDOMAIN =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  it('a bad name: one cause, group-qualified kind in the message, the Kind in details', async () => {
    const r = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('Bad_Name'));
    expect(r.body).toEqual(
      status(422, 'Invalid', `Deployment.apps "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}`, {
        name: 'Bad_Name',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${SUBDOMAIN}`, field: 'metadata.name' }],
      }),
    );
  });

  it('a selector that does not match the template labels, printed as Go prints the map', async () => {
    const r = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('api', 'api', 'other'));
    const body = 'Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`';
    expect(r.body).toEqual(
      status(422, 'Invalid', `Deployment.apps "api" is invalid: spec.template.metadata.labels: ${body}`, {
        name: 'api',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueInvalid', message: body, field: 'spec.template.metadata.labels' }],
      }),
    );
    const k = await f.kubectl.run('create', '-f', file('api.json', deployment('api', 'api', 'other')));
    expect(k.stderr).toBe(`The Deployment "api" is invalid: spec.template.metadata.labels: ${body}\n`);
  });

  it('several causes: the message is the bracketed aggregate, kubectl lists them one per line', async () => {
    const r = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', deployment('Bad_Name', 'a', 'b'));
    const causes = [
      `metadata.name: Invalid value: "Bad_Name": ${SUBDOMAIN}`,
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`',
    ];
    expect(r.body.message).toBe(`Deployment.apps "Bad_Name" is invalid: [${causes.join(', ')}]`);
    const k = await f.kubectl.run('create', '-f', file('bad.json', deployment('Bad_Name', 'a', 'b')));
    expect(k.stderr).toBe(`The Deployment "Bad_Name" is invalid: \n* ${causes.join('\n* ')}\n`);
  });

  it('changing an immutable selector', async () => {
    const r = await call('PUT', '/apis/apps/v1/namespaces/shop/deployments/web', deployment('web', 'web2', 'web2'));
    expect(r.body.message).toBe(
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });
});

describe('400 BadRequest for selectors', () => {
  const list = (query: string) => call('GET', `/api/v1/namespaces/shop/pods?${query}`);

  it.each([
    ['app in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['app=!!', "unable to parse requirement: found '!', expected: identifier"],
    ['app tier', "unable to parse requirement: found 'tier', expected: in, notin, =, ==, !=, gt, lt"],
    ['a,,b', "found ',', expected: identifier after ','"],
    ['version>v1', "unable to parse requirement: values[0]: Invalid value: \"v1\": for 'Gt', 'Lt' operators, the value must be an integer"],
  ])('label selector %j', async (selector, message) => {
    const r = await list(`labelSelector=${encodeURIComponent(selector)}`);
    expect(r.body).toEqual(status(400, 'BadRequest', message));
  });

  it('an invalid label value is reported with its field path', async () => {
    const r = await list(`labelSelector=${encodeURIComponent('app=-bad')}`);
    expect(r.body.message).toBe(
      "unable to parse requirement: values[0][app]: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  });

  it.each([
    ['/api/v1/namespaces/shop/pods', 'status.phase', "invalid selector: 'status.phase'; can't understand 'status.phase'"],
    ['/api/v1/namespaces/shop/pods', 'spec.foo=1', 'field label not supported: spec.foo'],
    ['/api/v1/nodes', 'metadata.namespace=x', 'field label not supported: metadata.namespace'],
    ['/api/v1/namespaces/shop/events', 'reason=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
    ['/api/v1/namespaces/shop/configmaps', 'data.a=1', '"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"'],
    // apps/v1 registers no field label conversion, so even status.replicas is refused.
    ['/apis/apps/v1/namespaces/shop/replicasets', 'status.replicas=0', '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'],
  ])('field selector on %s: %j', async (path, selector, message) => {
    const r = await call('GET', `${path}?fieldSelector=${encodeURIComponent(selector)}`);
    expect(r.body).toEqual(status(400, 'BadRequest', message));
  });

  it('watches refuse bad selectors the same way, before streaming', async () => {
    const r = await call('GET', '/api/v1/namespaces/shop/pods?watch=true&fieldSelector=spec.foo%3D1');
    expect(r.body).toEqual(status(400, 'BadRequest', 'field label not supported: spec.foo'));
  });

  it('kubectl wraps the server message in its "Unable to find" sentence', async () => {
    const bad = await f.kubectl.run('get', 'pods', '-n', 'shop', '--field-selector', 'spec.foo=1');
    expect(bad.stderr).toBe('Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=1": field label not supported: spec.foo\n');
    const label = await f.kubectl.run('get', 'pods', '-n', 'shop', '-l', 'app in (a');
    expect(label.stderr).toBe(
      `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "app in (a", field selector "": unable to parse requirement: found '', expected: ',' or ')'\n`,
    );
  });
});

describe('other client errors', () => {
  it('404 for a path the server does not serve, with the not-found handler\'s empty details', async () => {
    const r = await call('GET', '/apis/batch/v1/namespaces/shop/jobs');
    expect(r.body).toEqual(status(404, 'NotFound', 'the server could not find the requested resource', {}));
  });

  it('a missing name is Invalid with the qualified kind', async () => {
    const r = await call('POST', '/apis/apps/v1/namespaces/shop/deployments', { ...deployment(''), metadata: { namespace: 'shop' } });
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('Deployment.apps "" is invalid: metadata.name: Required value: name or generateName is required');
  });
});
