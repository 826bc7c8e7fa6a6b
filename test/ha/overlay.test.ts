import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '../../src/adapters/kube/client-node.js';
import { KubeLeaderLease } from '../../src/adapters/kube/lease.js';
import { EnvSchema } from '../../src/config/env.js';
import { systemClock } from '../../src/ports.js';
import { LeaderElector } from '../../src/services/leader-election.js';
import { silent } from '../incidents/world.js';
import { KubeRecorder } from '../helpers/kube-recorder.js';
import { DEPLOY_DIR, renderKustomization, type K8sDoc } from '../helpers/kustomize.js';
import { describeAttributes, grantsOf, ruleAllows, requestAttributes, type RbacDoc } from '../helpers/rbac.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * deploy/overlays/ha, rendered by real kubectl's kustomize: two replicas that a disruption
 * takes one at a time, spread over nodes, their store the Secret's PostgreSQL URL, their
 * Lease holder the pod's name; and a Role allowing exactly the Lease calls the elector
 * makes (recorded against the simulator), in the bot's own namespace only. The base stays
 * single-replica.
 */
const HA = join(DEPLOY_DIR, 'overlays/ha');
const docs = renderKustomization(HA);
type Deployment = K8sDoc & {
  spec: {
    replicas: number;
    strategy: { type: string; rollingUpdate?: { maxUnavailable?: number } };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        affinity?: { podAntiAffinity?: { preferredDuringSchedulingIgnoredDuringExecution?: Array<{ podAffinityTerm: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } } }> } };
        containers: Array<{ name: string; env: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }>; envFrom: Array<{ secretRef: { name: string } }>; volumeMounts: Array<{ name: string }> }>;
        volumes: Array<{ name: string; persistentVolumeClaim?: unknown }>;
      };
    };
  };
};
const deployment = docs.find((d) => d.kind === 'Deployment') as Deployment;
const pod = deployment.spec.template.spec;
const container = pod.containers.find((c) => c.name === 'deploy-medic')!;
const namespace = deployment.metadata.namespace!;
const serviceAccount = { namespace, name: pod.serviceAccountName };

describe('deploy/overlays/ha', () => {
  it('runs two replicas, replaced one at a time, that a disruption takes one at a time, preferably on different nodes', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
    const pdb = docs.find((d) => d.kind === 'PodDisruptionBudget') as K8sDoc & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } };
    expect(pdb.metadata.namespace).toBe(namespace);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(deployment.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels);
    const [term] = pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    expect(term?.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(deployment.spec.template.metadata.labels).toMatchObject(term!.podAffinityTerm.labelSelector.matchLabels);
  });

  it('takes DATABASE_URL from the Secret (no SQLite file, no claim), its Lease identity and namespace from the downward API', () => {
    const env = Object.fromEntries(container.env.map((e) => [e.name, e]));
    expect(env.DATABASE_URL).toBeUndefined();
    expect(container.envFrom).toEqual([{ secretRef: { name: 'deploy-medic-secrets' } }]);
    expect(docs.filter((d) => d.kind === 'PersistentVolumeClaim')).toEqual([]);
    expect(pod.volumes.filter((v) => v.persistentVolumeClaim)).toEqual([]);
    expect(env.POD_NAME?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(env.POD_NAMESPACE?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
    // With a postgres:// URL from the Secret, election is on by default.
    expect(EnvSchema.parse({ DATABASE_URL: 'postgres://medic:pw@db:5432/medic' }).LEADER_ELECTION).toBeUndefined();
  });

  it('leaves the base single-replica', () => {
    const base = renderKustomization(join(DEPLOY_DIR, 'base')).find((d) => d.kind === 'Deployment') as Deployment;
    expect(base.spec.replicas).toBe(1);
  });
});

describe('the Lease RBAC of deploy/overlays/ha against the calls the elector makes', () => {
  let f: SimFixture;
  let recorder: KubeRecorder;
  beforeAll(async () => {
    f = await startSim();
    await f.kubectl.ok('create', 'namespace', namespace);
    recorder = await KubeRecorder.start(f.sim.url);
  });
  afterAll(async () => {
    await recorder?.stop();
    await f?.sim.stop();
  });

  it('allows exactly get, create and update of its Lease, in its own namespace', async () => {
    const electors = ['medic-0', 'medic-1'].map((identity) => {
      const kc = new KubeConfig();
      kc.loadFromString(recorder.kubeconfig(identity));
      return new LeaderElector({
        lease: new KubeLeaderLease(kc, namespace, 'deploy-medic', 1_000),
        clock: systemClock,
        log: silent,
        options: { identity, leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 250 },
        work: { start: async () => undefined, stop: async () => undefined },
      });
    });
    for (const e of electors) e.start();
    // One creates the Lease and renews it; the other reads it; the leader releases it on stop and the other takes it.
    const until = async (probe: () => boolean) => {
      for (const deadline = Date.now() + 10_000; !probe(); ) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => electors.some((e) => e.isLeader()));
    const leader = electors.find((e) => e.isLeader())!;
    const other = electors.find((e) => e !== leader)!;
    await leader.stop();
    await until(() => other.isLeader());
    await other.stop();

    const rbac = docs.filter((d) => d.apiVersion.startsWith('rbac.authorization.k8s.io/')) as unknown as RbacDoc[];
    const grants = grantsOf(rbac, serviceAccount);
    const calls = recorder.requests.map((r) => requestAttributes(r.method, r.path, r.query));
    expect(new Set(calls.map(describeAttributes))).toEqual(new Set(['get coordination.k8s.io/leases', 'create coordination.k8s.io/leases', 'update coordination.k8s.io/leases']));
    const denied = calls.filter((a) => !grants.some((g) => ruleAllows(g, a)));
    expect(denied).toEqual([]);
    const leaseGrants = grants.filter((g) => g.rule.resources?.includes('leases'));
    expect(leaseGrants.map((g) => g.scope)).toEqual(leaseGrants.map(() => namespace));
    // Every lease rule is used, and none reaches another namespace.
    for (const g of leaseGrants) expect(calls.some((a) => ruleAllows(g, a)), g.via).toBe(true);
    expect(grants.some((g) => ruleAllows(g, { kind: 'resource', verb: 'update', apiGroup: 'coordination.k8s.io', resource: 'leases', subresource: '', namespace: 'production', name: 'deploy-medic' }))).toBe(false);
  });
});
