/**
 * Objects are stored as the apiserver stores them: decoded into their Go type
 * and marshalled again. Unknown fields are refused (fieldValidation=Strict,
 * what kubectl sends) or dropped with a warning (the server's default), zero
 * omitempty values vanish, Times and Quantities come back canonical.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const dir = mkdtempSync(join(tmpdir(), 'api-decoding-'));

beforeAll(async () => {
  f = await startSim({ controllers: false });
});
afterAll(() => f.sim.stop());

const post = async (path: string, body: unknown) => {
  const res = await fetch(f.sim.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, warnings: res.headers.get('warning'), body: (await res.json()) as Record<string, any> };
};
function file(name: string, obj: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(obj));
  return path;
}

const withTypos = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'typo', namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'typo' } },
    template: { metadata: { labels: { app: 'typo' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', imagePullPolicyy: 'Always' }] } },
    strategyy: {},
  },
};

describe('field validation', () => {
  it('kubectl create (Strict) refuses unknown fields with the strict decoding error', async () => {
    const r = await f.kubectl.run('create', '-f', file('typo.json', withTypos));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${join(dir, 'typo.json')}": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.strategyy", unknown field "spec.template.spec.containers[0].imagePullPolicyy"\n`,
    );
  });

  it('--validate=warn creates the object without them and prints the server warnings', async () => {
    const r = await f.kubectl.run('create', '-f', file('typo.json', withTypos), '--validate=warn');
    expect(r.code).toBe(0);
    // In document order; kubectl sends the keys sorted, as Go marshals maps.
    expect(r.stderr).toBe('Warning: unknown field "spec.strategyy"\nWarning: unknown field "spec.template.spec.containers[0].imagePullPolicyy"\n');
    const d = JSON.parse(await f.kubectl.ok('get', 'deployment', 'typo', '-o', 'json')) as { spec: Record<string, any> };
    expect(d.spec).not.toHaveProperty('strategyy');
    expect(d.spec.template.spec.containers[0]).not.toHaveProperty('imagePullPolicyy');
  });

  it('without fieldValidation the server warns (Warn is the default)', async () => {
    const r = await post('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w', labelz: { a: 'b' } }, data: { k: 'v' } });
    expect(r.status).toBe(201);
    expect(r.warnings).toBe('299 - "unknown field \\"metadata.labelz\\""');
    expect(r.body.metadata).not.toHaveProperty('labelz');
  });
});

describe('type errors', () => {
  it('a value of the wrong JSON type is refused as encoding/json words it, whatever the validation mode', async () => {
    const d = {
      ...withTypos,
      metadata: { name: 'envnum', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'envnum' } },
        template: { metadata: { labels: { app: 'envnum' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', env: [{ name: 'PORT', value: 8080 }] }] } },
      },
    };
    const r = await f.kubectl.run('create', '-f', file('envnum.json', d), '--validate=false');
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${join(dir, 'envnum.json')}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string\n`,
    );
  });

  it('YAML 1.1 booleans reach the server as bools: a template label "y" is refused', async () => {
    // (kubectl itself catches the same mistake in the top-level metadata, with the same words.)
    const yamlPath = join(dir, 'label.yaml');
    writeFileSync(
      yamlPath,
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: yes-label, namespace: default}',
        'spec:',
        '  selector: {matchLabels: {app: x}}',
        '  template:',
        '    metadata: {labels: {app: y}}',
        '    spec: {containers: [{name: c, image: "nginx:1.27"}]}',
        '',
      ].join('\n'),
    );
    const r = await f.kubectl.run('create', '-f', yamlPath);
    expect(r.stderr).toBe(
      `Error from server (BadRequest): error when creating "${yamlPath}": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field ObjectMeta.spec.template.metadata.labels of type string\n`,
    );
  });
});

describe('the Go round trip', () => {
  it('drops zero omitempty values, keeps explicit zeros in pointers, adds structs and null Times', async () => {
    const r = await post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'zeros', labels: {}, annotations: { a: '' } },
      spec: {
        replicas: 0,
        paused: false,
        minReadySeconds: 0,
        selector: { matchLabels: { app: 'zeros' } },
        template: { metadata: { labels: { app: 'zeros' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', args: [], stdin: false }] } },
      },
    });
    expect(r.status).toBe(201);
    const { metadata, spec, status } = r.body;
    expect(metadata).not.toHaveProperty('labels');
    expect(metadata.annotations).toEqual({ a: '' });
    expect(spec.replicas).toBe(0);
    expect(spec).not.toHaveProperty('paused');
    expect(spec).not.toHaveProperty('minReadySeconds');
    expect(spec.template.metadata).toEqual({ creationTimestamp: null, labels: { app: 'zeros' } });
    expect(spec.template.spec.containers[0]).not.toHaveProperty('args');
    expect(spec.template.spec.containers[0]).not.toHaveProperty('stdin');
    expect(spec.template.spec.containers[0].resources).toEqual({});
    expect(status).toEqual({});
  });

  it('canonicalises Quantities and Times', async () => {
    const r = await post('/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'canon' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { memory: 2147483648 } } }] },
    });
    // 2147483648 is a DecimalSI amount: no binary suffix, as Quantity.String() prints it.
    expect(r.body.spec.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2147483648' } });
    const status = {
      phase: 'Running',
      startTime: '2025-03-01T12:00:00.123+02:00',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-03-01T10:00:05Z' }],
    };
    const res = await fetch(`${f.sim.url}/api/v1/namespaces/default/pods/canon/status`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...r.body, status }),
    });
    const stored = (await res.json()) as { status: Record<string, unknown> };
    expect(stored.status).toEqual({
      phase: 'Running',
      startTime: '2025-03-01T10:00:00Z',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-03-01T10:00:05Z' }],
    });
  });

  it('an Event keeps its non-omitempty fields and null zero times', async () => {
    const r = await post('/api/v1/namespaces/default/events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      involvedObject: { kind: 'Pod', name: 'canon', namespace: 'default' },
      reason: 'Started',
      message: 'Started container c',
      type: 'Normal',
      eventTime: '2025-03-01T10:00:00.5Z',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: '2025-03-01T10:00:00.500000Z', reportingComponent: '', reportingInstance: '' });
    expect(r.body).not.toHaveProperty('count');
  });
});
