/**
 * What kubectl shows of the simulated cluster: server-side Tables for every
 * resource it serves, a watch rendered with `get -w`, discovery and version.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION_INFO } from '../../src/sim/kube/discovery.js';
import { parseTable } from '../helpers/kubectl.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const dir = mkdtempSync(join(tmpdir(), 'api-kubectl-'));
const IMAGE = 'registry.example.com/web-frontend:v1.4.0';

interface Pod {
  metadata: { name: string };
  status: { podIP?: string };
}

beforeAll(async () => {
  f = await startSim();
  const k = f.kubectl;
  await k.ok('create', 'namespace', 'shop');
  await k.ok('create', 'configmap', 'settings', '-n', 'shop', '--from-literal=a=1', '--from-literal=b=2');
  await k.ok('create', 'secret', 'generic', 'db', '-n', 'shop', '--from-literal=password=x');
  await k.ok('create', 'quota', 'compute', '-n', 'shop', '--hard=pods=10');
  await k.ok('create', 'service', 'clusterip', 'web', '-n', 'shop', '--tcp=80:8080');
  await k.ok('create', 'serviceaccount', 'robot', '-n', 'shop');
  const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'leader', namespace: 'shop' }, spec: { holderIdentity: 'web-0', leaseDurationSeconds: 15 } };
  writeFileSync(join(dir, 'lease.json'), JSON.stringify(lease));
  await k.ok('create', '-f', join(dir, 'lease.json'));
  await k.ok('create', 'deployment', 'web', '-n', 'shop', `--image=${IMAGE}`, '--replicas=2', '--port=8080');
  f.sim.advance(125_000);
});
afterAll(() => f.sim.stop());

/** kubectl prints one table per resource type, separated by blank lines. */
const sections = (out: string) => out.trimEnd().split('\n\n');

describe('server-side Tables', () => {
  it('kubectl get ns,nodes,svc,ep,cm,secrets,quota,leases,sa -A prints the real columns', async () => {
    const pods = (await f.get<{ items: Pod[] }>('/api/v1/namespaces/shop/pods')).items;
    const svc = await f.get<{ spec: { clusterIP: string } }>('/api/v1/namespaces/shop/services/web');
    const out = sections(await f.kubectl.ok('get', 'ns,nodes,svc,ep,cm,secrets,quota,leases,sa', '-A'));
    expect(out.map((s) => s.split('\n')[0]!.split(/\s{2,}/))).toEqual([
      ['NAME', 'STATUS', 'AGE'],
      ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      ['NAMESPACE', 'NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      ['NAMESPACE', 'NAME', 'ENDPOINTS', 'AGE'],
      ['NAMESPACE', 'NAME', 'DATA', 'AGE'],
      ['NAMESPACE', 'NAME', 'TYPE', 'DATA', 'AGE'],
      ['NAMESPACE', 'NAME', 'REQUEST', 'LIMIT', 'AGE'],
      ['NAMESPACE', 'NAME', 'HOLDER', 'AGE'],
      ['NAMESPACE', 'NAME', 'SECRETS', 'AGE'],
    ]);
    const [ns, nodes, services, endpoints, cms, secrets, quotas, leases, sas] = out.map(parseTable);
    expect(ns).toContainEqual({ NAME: 'namespace/shop', STATUS: 'Active', AGE: '2m5s' });
    expect(ns!.map((r) => r.NAME)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop'].map((n) => `namespace/${n}`));
    expect(nodes![0]).toEqual({ NAME: 'node/sim-control-plane', STATUS: 'Ready', ROLES: 'control-plane', AGE: '2m5s', VERSION: 'v1.32.0' });
    expect(nodes![1]).toEqual({ NAME: 'node/sim-worker-1', STATUS: 'Ready', ROLES: '<none>', AGE: '2m5s', VERSION: 'v1.32.0' });
    expect(services).toEqual([
      { NAMESPACE: 'shop', NAME: 'service/web', TYPE: 'ClusterIP', 'CLUSTER-IP': svc.spec.clusterIP, 'EXTERNAL-IP': '<none>', 'PORT(S)': '80/TCP', AGE: '2m5s' },
    ]);
    const ips = pods.map((p) => p.status.podIP!).sort();
    expect(ips).toHaveLength(2);
    // The service selects app=web (kubectl create service sets it from the name), so both pods are endpoints.
    expect(endpoints).toEqual([{ NAMESPACE: 'shop', NAME: 'endpoints/web', ENDPOINTS: ips.map((ip) => `${ip}:8080`).join(','), AGE: '2m5s' }]);
    expect(cms).toEqual([{ NAMESPACE: 'shop', NAME: 'configmap/settings', DATA: '2', AGE: '2m5s' }]);
    expect(secrets).toEqual([{ NAMESPACE: 'shop', NAME: 'secret/db', TYPE: 'Opaque', DATA: '1', AGE: '2m5s' }]);
    expect(quotas).toEqual([{ NAMESPACE: 'shop', NAME: 'resourcequota/compute', REQUEST: 'pods: 2/10', LIMIT: '', AGE: '2m5s' }]);
    expect(leases).toEqual([{ NAMESPACE: 'shop', NAME: 'lease.coordination.k8s.io/leader', HOLDER: 'web-0', AGE: '2m5s' }]);
    expect(sas).toContainEqual({ NAMESPACE: 'shop', NAME: 'serviceaccount/robot', SECRETS: '0', AGE: '2m5s' });
    expect(sas!.filter((r) => r.NAME === 'serviceaccount/default').map((r) => r.NAMESPACE)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']);
  });

  it('-o wide adds the priority-1 columns', async () => {
    const [nodes, services] = sections(await f.kubectl.ok('get', 'nodes,svc', '-n', 'shop', '-o', 'wide')).map(parseTable);
    expect(nodes![0]).toEqual({
      NAME: 'node/sim-control-plane',
      STATUS: 'Ready',
      ROLES: 'control-plane',
      AGE: '2m5s',
      VERSION: 'v1.32.0',
      'INTERNAL-IP': '192.168.49.2',
      'EXTERNAL-IP': '<none>',
      'OS-IMAGE': 'Debian GNU/Linux 12 (bookworm)',
      'KERNEL-VERSION': '6.1.0-sim',
      'CONTAINER-RUNTIME': 'containerd://1.7.22',
    });
    expect(services![0]).toMatchObject({ NAME: 'service/web', SELECTOR: 'app=web' });
  });

  it('deployments, replicasets and pods, as `kubectl get deploy,rs,pods` shows them', async () => {
    const [deploys, rss, pods] = sections(await f.kubectl.ok('get', 'deploy,rs,pods', '-n', 'shop')).map(parseTable);
    expect(deploys).toEqual([{ NAME: 'deployment.apps/web', READY: '2/2', 'UP-TO-DATE': '2', AVAILABLE: '2', AGE: '2m5s' }]);
    expect(rss).toEqual([{ NAME: expect.stringMatching(/^replicaset\.apps\/web-[a-z0-9]{8,10}$/), DESIRED: '2', CURRENT: '2', READY: '2', AGE: '2m5s' }]);
    expect(pods!.map((p) => [p.READY, p.STATUS, p.RESTARTS])).toEqual([
      ['1/1', 'Running', '0'],
      ['1/1', 'Running', '0'],
    ]);
  });

  it('the Table itself: meta.k8s.io/v1 with PartialObjectMetadata rows', async () => {
    const res = await fetch(`${f.sim.url}/api/v1/namespaces/shop/configmaps`, { headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' } });
    expect(res.headers.get('content-type')).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const table = (await res.json()) as { kind: string; apiVersion: string; columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[]; object: { kind: string } }> };
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows.map((r) => r.cells)).toEqual([['settings', 2, '2m5s']]);
    expect(table.rows[0]!.object.kind).toBe('PartialObjectMetadata');
  });
});

describe('kubectl get -w', () => {
  it('prints the list, then a row for every change it is told about', async () => {
    const child = spawn('kubectl', [`--kubeconfig=${f.kubectl.kubeconfigPath}`, `--cache-dir=${join(dir, 'cache')}`, 'get', 'pods', '-n', 'shop', '-w'], { env: { ...process.env, TZ: 'UTC' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const waitFor = async (re: RegExp) => {
      for (let i = 0; i < 200 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 25));
      return re.test(out);
    };
    try {
      expect(await waitFor(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n(web-\S+\s+1\/1\s+Running\s+0\s+2m5s\n){2}/)).toBe(true);
      await f.kubectl.ok('scale', 'deployment', 'web', '-n', 'shop', '--replicas=3');
      f.sim.advance(30_000);
      expect(await waitFor(/\n(web-\S+)\s+0\/1\s+Pending\s+0\s+0s\n[\s\S]*\n\1\s+1\/1\s+Running\s+0\s+\d+s\n/)).toBe(true);
    } finally {
      child.kill();
    }
  });
});

describe('discovery and version', () => {
  it('kubectl api-resources lists every served resource with short names', async () => {
    const rows = parseTable(await f.kubectl.ok('api-resources'));
    expect(rows).toContainEqual({ NAME: 'deployments', SHORTNAMES: 'deploy', APIVERSION: 'apps/v1', NAMESPACED: 'true', KIND: 'Deployment' });
    expect(rows).toContainEqual({ NAME: 'pods', SHORTNAMES: 'po', APIVERSION: 'v1', NAMESPACED: 'true', KIND: 'Pod' });
    expect(rows).toContainEqual({ NAME: 'namespaces', SHORTNAMES: 'ns', APIVERSION: 'v1', NAMESPACED: 'false', KIND: 'Namespace' });
    expect(rows).toContainEqual({ NAME: 'leases', SHORTNAMES: '', APIVERSION: 'coordination.k8s.io/v1', NAMESPACED: 'true', KIND: 'Lease' });
    expect(rows.map((r) => r.NAME).sort()).toEqual(
      [
        'configmaps',
        'deployments',
        'endpoints',
        'events',
        'horizontalpodautoscalers',
        'leases',
        'limitranges',
        'namespaces',
        'nodes',
        'nodes', // metrics.k8s.io NodeMetrics
        'persistentvolumeclaims',
        'pods',
        'pods', // metrics.k8s.io PodMetrics
        'replicasets',
        'resourcequotas',
        'secrets',
        'serviceaccounts',
        'services',
        'storageclasses',
        'validatingwebhookconfigurations',
      ].sort(),
    );
    expect(await f.kubectl.ok('api-resources', '--api-group=apps', '-o', 'name')).toBe('deployments.apps\nreplicasets.apps\n');
    expect(await f.kubectl.ok('api-versions')).toBe('admissionregistration.k8s.io/v1\napps/v1\nautoscaling/v2\ncoordination.k8s.io/v1\nmetrics.k8s.io/v1beta1\nstorage.k8s.io/v1\nv1\n');
  });

  it('short names and categories resolve: kubectl get all', async () => {
    const kinds = sections(await f.kubectl.ok('get', 'all', '-n', 'shop')).map((s) => parseTable(s)[0]!.NAME!.split('/')[0]);
    expect(kinds).toEqual(['pod', 'service', 'deployment.apps', 'replicaset.apps']);
  });

  it('kubectl version reports a 1.32 server; /version is the version info', async () => {
    const out = await f.kubectl.ok('version');
    expect(out.split('\n').find((l) => l.startsWith('Server Version:'))).toBe(`Server Version: ${VERSION_INFO.gitVersion}`);
    expect(VERSION_INFO.gitVersion).toMatch(/^v1\.32\./);
    const json = JSON.parse(await f.kubectl.ok('version', '-o', 'json')) as { serverVersion: Record<string, string> };
    expect(json.serverVersion).toMatchObject({ major: '1', minor: '32' });
    expect(JSON.parse(await f.kubectl.ok('get', '--raw', '/version'))).toEqual(VERSION_INFO);
  });

  it('kubectl get --raw reads any API path', async () => {
    const group = JSON.parse(await f.kubectl.ok('get', '--raw', '/apis/apps')) as Record<string, unknown>;
    expect(group).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
    const cm = JSON.parse(await f.kubectl.ok('get', '--raw', '/api/v1/namespaces/shop/configmaps/settings')) as { data: unknown };
    expect(cm.data).toEqual({ a: '1', b: '2' });
    const missing = await f.kubectl.run('get', '--raw', '/api/v1/namespaces/shop/configmaps/nope');
    expect(missing.stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
  });
});
