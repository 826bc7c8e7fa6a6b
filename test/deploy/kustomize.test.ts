import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/config.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
  spec?: Record<string, unknown>;
}

const overlay = new URL('../../deploy/overlays/production', import.meta.url).pathname;
const rendered = execFileSync('kubectl', ['kustomize', overlay], { encoding: 'utf8' });
const docs = parseAllDocuments(rendered).map((d) => d.toJS() as Doc);

/** Every read KubeCluster makes (src/adapters/kube/cluster.ts), as group/resource: the diagnosis' and the verification's. */
const READS = [
  'apps/deployments', 'apps/replicasets', '/pods', '/pods/log', '/events', '/nodes', '/resourcequotas', '/services', '/endpoints', '/secrets', '/configmaps',
  '/serviceaccounts', '/namespaces', '/persistentvolumeclaims', 'storage.k8s.io/storageclasses', 'metrics.k8s.io/pods', 'autoscaling/horizontalpodautoscalers',
];
const grants = (role: Doc) => role.rules!.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.flatMap((res) => r.verbs.map((v) => `${v} ${g}/${res}`))));
const subjectsOf = (name: string) => (docs.find((d) => d.kind === 'ClusterRoleBinding' && d.metadata.name === name) as unknown as { subjects: unknown[]; roleRef: { name: string } });

let f: SimFixture;
beforeAll(async () => {
  f = await startSim({ controllers: false });
});
afterAll(() => f.sim.stop());

describe('deploy/ (kustomize base and production overlay)', () => {
  it('grants the reader role exactly the reads a diagnosis and a verification make, and no writes', () => {
    const role = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'deploy-medic-reader')!;
    const granted = role.rules!.flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}`)));
    expect(granted.sort()).toEqual([...READS].sort());
    const verbs = new Set(role.rules!.flatMap((r) => r.verbs));
    expect([...verbs].sort()).toEqual(['get', 'list', 'watch']);
    expect(grants(role).filter((g) => /metrics|autoscaling/.test(g)).sort()).toEqual([
      'get autoscaling/horizontalpodautoscalers', 'get metrics.k8s.io/pods', 'list autoscaling/horizontalpodautoscalers', 'list metrics.k8s.io/pods',
    ]);
    expect(subjectsOf('deploy-medic-reader').subjects).toEqual([{ kind: 'ServiceAccount', name: 'deploy-medic', namespace: 'deploy-medic' }]);
  });

  it('grants the executor role patch on deployments and nothing broader; no other role writes', () => {
    const executor = docs.find((d) => d.kind === 'ClusterRole' && d.metadata.name === 'deploy-medic-executor')!;
    expect(grants(executor)).toEqual(['patch apps/deployments']);
    expect(subjectsOf('deploy-medic-executor').roleRef.name).toBe('deploy-medic-executor');
    expect(subjectsOf('deploy-medic-executor').subjects).toEqual([{ kind: 'ServiceAccount', name: 'deploy-medic', namespace: 'deploy-medic' }]);
    const roles = docs.filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role');
    expect(roles.map((r) => r.metadata.name).sort()).toEqual(['deploy-medic-executor', 'deploy-medic-reader']);
    const writes = roles.flatMap(grants).filter((g) => !/^(get|list|watch) /.test(g));
    expect(writes).toEqual(['patch apps/deployments']);
    expect(roles.flatMap((r) => r.rules!).some((r) => [...r.apiGroups, ...r.resources, ...r.verbs].includes('*'))).toBe(false);
  });

  it('ships a policy file the bot accepts', () => {
    const policy = loadPolicy(join(overlay, 'policy.yaml'), (p) => readFileSync(p, 'utf8'));
    expect(policy.approvals.protectedNamespaces).toEqual(['production']);
  });

  it('probes the routes the bot serves, on the port it listens on', () => {
    const d = docs.find((x) => x.kind === 'Deployment') as unknown as {
      spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }>; ports: Array<{ containerPort: number }>; readinessProbe: { httpGet: { path: string } }; livenessProbe: { httpGet: { path: string } } }> } } };
    };
    const c = d.spec.template.spec.containers[0]!;
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.env.find((e) => e.name === 'PORT')?.value).toBe(String(c.ports[0]!.containerPort));
  });

  it('is accepted by an API server (server-side dry run of the namespaced objects)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-deploy-'));
    const supported = docs.filter((d) => ['Namespace', 'ServiceAccount', 'ConfigMap', 'Service', 'Deployment'].includes(d.kind));
    expect(supported.map((d) => d.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Namespace', 'Service', 'ServiceAccount']);
    await f.kubectl.ok('create', 'namespace', 'deploy-medic');
    writeFileSync(join(dir, 'objects.yaml'), supported.filter((d) => d.kind !== 'Namespace').map((d) => stringify(d)).join('---\n'));
    const out = await f.kubectl.ok('create', '--dry-run=server', '-f', join(dir, 'objects.yaml'));
    expect(out).toContain('deployment.apps/deploy-medic created (server dry run)');
  });
});
