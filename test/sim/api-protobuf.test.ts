/**
 * client-go's typed clients write in Kubernetes protobuf: kubectl create
 * secret|configmap|namespace|quota|service|serviceaccount|deployment and
 * kubectl run all POST `application/vnd.kubernetes.protobuf`. The simulator
 * must read those bodies into the same objects a real apiserver stores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const IMAGE = 'registry.example.com/web-frontend:v1.4.0';

beforeAll(async () => {
  f = await startSim({ controllers: false });
});
afterAll(() => f.sim.stop());

async function json(...args: string[]): Promise<Record<string, unknown> & { metadata: Record<string, unknown> }> {
  const obj = JSON.parse(await f.kubectl.ok('get', ...args, '-o', 'json')) as Record<string, unknown> & { metadata: Record<string, unknown> };
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp']) delete obj.metadata[k];
  return obj;
}

describe('kubectl typed create commands (protobuf bodies)', () => {
  it('create namespace', async () => {
    expect(await f.kubectl.ok('create', 'namespace', 'pb')).toBe('namespace/pb created\n');
    expect(await json('namespace', 'pb')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'pb', labels: { 'kubernetes.io/metadata.name': 'pb' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  });

  it('create configmap and create secret generic|docker-registry', async () => {
    await f.kubectl.ok('create', 'configmap', 'cfg', '-n', 'pb', '--from-literal=mode=fast', '--from-literal=empty=');
    expect(await json('configmap', 'cfg', '-n', 'pb')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'pb' }, data: { mode: 'fast', empty: '' } });
    await f.kubectl.ok('create', 'secret', 'generic', 'db', '-n', 'pb', '--from-literal=password=s3cret');
    expect(await json('secret', 'db', '-n', 'pb')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'pb' },
      data: { password: Buffer.from('s3cret').toString('base64') },
      type: 'Opaque',
    });
    await f.kubectl.ok('create', 'secret', 'docker-registry', 'pull', '-n', 'pb', '--docker-server=registry.example.com', '--docker-username=ci', '--docker-password=pw');
    const pull = await json('secret', 'pull', '-n', 'pb');
    expect(pull.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from((pull.data as Record<string, string>)['.dockerconfigjson']!, 'base64').toString()) as unknown;
    expect(config).toEqual({ auths: { 'registry.example.com': { username: 'ci', password: 'pw', auth: Buffer.from('ci:pw').toString('base64') } } });
  });

  it('create quota, service and serviceaccount', async () => {
    await f.kubectl.ok('create', 'quota', 'q', '-n', 'default', '--hard=pods=10,requests.cpu=4,limits.memory=8Gi');
    expect((await json('quota', 'q', '-n', 'default')).spec).toEqual({ hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi' } });
    await f.kubectl.ok('create', 'service', 'nodeport', 'web', '-n', 'pb', '--tcp=80:8080', '--node-port=30080');
    const svc = await json('service', 'web', '-n', 'pb');
    expect(svc.metadata.labels).toEqual({ app: 'web' });
    expect(svc.spec).toMatchObject({ type: 'NodePort', selector: { app: 'web' }, ports: [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080 }] });
    await f.kubectl.ok('create', 'serviceaccount', 'robot', '-n', 'pb');
    expect(await json('serviceaccount', 'robot', '-n', 'pb')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'pb' } });
  });

  it('create deployment: pointers keep explicit zeros, plain zero fields are dropped, structs stay', async () => {
    await f.kubectl.ok('create', 'deployment', 'web', '-n', 'pb', `--image=${IMAGE}`, '--replicas=0', '--port=8080');
    const d = await json('deployment', 'web', '-n', 'pb');
    expect(d.metadata).toEqual({ name: 'web', namespace: 'pb', labels: { app: 'web' }, generation: 1 });
    expect(d.spec).toEqual({
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        // A zero metav1.Time in a struct marshals as null: real servers show this too.
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web-frontend',
              image: IMAGE,
              ports: [{ containerPort: 8080, protocol: 'TCP' }],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
  });

  it('run: a pod with labels, env, a port and arguments', async () => {
    expect(await f.kubectl.ok('run', 'debug', '-n', 'pb', `--image=${IMAGE}`, '--labels=role=debug', '--env=MODE=1', '--port=8080', '--', 'sleep', '30')).toBe('pod/debug created\n');
    const pod = await json('pod', 'debug', '-n', 'pb');
    expect(pod.metadata).toEqual({ name: 'debug', namespace: 'pb', labels: { role: 'debug' } });
    expect((pod.spec as { containers: unknown[] }).containers).toEqual([
      {
        name: 'debug',
        image: IMAGE,
        args: ['sleep', '30'],
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        env: [{ name: 'MODE', value: '1' }],
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
        imagePullPolicy: 'IfNotPresent',
      },
    ]);
  });

  it('--dry-run=server decodes and validates without storing', async () => {
    expect(await f.kubectl.ok('create', 'configmap', 'dry', '-n', 'pb', '--from-literal=a=1', '--dry-run=server', '-o', 'jsonpath={.data.a}')).toBe('1');
    expect((await f.kubectl.run('get', 'configmap', 'dry', '-n', 'pb')).stderr).toBe('Error from server (NotFound): configmaps "dry" not found\n');
    const bad = await f.kubectl.run('create', 'deployment', 'Bad', '-n', 'pb', `--image=${IMAGE}`);
    // kubectl create deployment wraps the server's error in its own words.
    expect(bad.stderr).toMatch(/^error: failed to create deployment: Deployment.apps "Bad" is invalid: metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/);
  });
});

describe('request body media types', () => {
  const post = (contentType: string, body: string | Buffer) =>
    fetch(`${f.sim.url}/api/v1/namespaces/pb/configmaps`, { method: 'POST', headers: { 'Content-Type': contentType }, body });

  it('YAML bodies are accepted like JSON', async () => {
    const r = await post('application/yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n');
    expect(r.status).toBe(201);
    expect(((await r.json()) as { data: unknown }).data).toEqual({ k: 'v' });
  });

  it('an unknown media type is a 415 listing what the server decodes', async () => {
    const r = await post('text/plain', '{}');
    expect(r.status).toBe(415);
    expect(await r.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
  });

  it('a protobuf body without the k8s magic is a 400', async () => {
    const r = await post('application/vnd.kubernetes.protobuf', Buffer.from([1, 2, 3, 4, 5]));
    expect(r.status).toBe(400);
  });
});
