import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ContainerStatus, Endpoints, Event, Pod } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS, type Scenario } from '../../src/sim/kube/catalog/scenarios.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
beforeAll(async () => {
  f = await startSim({ scenarios: 'all' });
});
afterAll(() => f.sim.stop());

interface World {
  deployment: Deployment;
  replicaSets: ReplicaSet[];
  /** Pods of the newest ReplicaSet: the failing revision. */
  newPods: Pod[];
  status: ContainerStatus | undefined;
  events: Event[];
  previousLogs(): Promise<string>;
}

async function observe(s: Scenario): Promise<World> {
  const ns = `/namespaces/${s.namespace}`;
  const deployment = await f.get<Deployment>(`/apis/apps/v1${ns}/deployments/${s.deployment}`);
  const selector = encodeURIComponent(`app=${s.deployment}`);
  const replicaSets = (await f.get<{ items: ReplicaSet[] }>(`/apis/apps/v1${ns}/replicasets?labelSelector=${selector}`)).items;
  const revision = deployment.metadata!.annotations!['deployment.kubernetes.io/revision'];
  const newRS = replicaSets.find((rs) => rs.metadata!.annotations!['deployment.kubernetes.io/revision'] === revision);
  const pods = (await f.get<{ items: Pod[] }>(`/api/v1${ns}/pods?labelSelector=${selector}`)).items;
  const newPods = pods.filter((p) => p.metadata!.ownerReferences?.[0]?.uid === newRS?.metadata?.uid);
  const events = (await f.get<{ items: Event[] }>(`/api/v1${ns}/events`)).items;
  return {
    deployment,
    replicaSets,
    newPods,
    status: newPods[0]?.status?.containerStatuses?.[0],
    events,
    previousLogs: async () => {
      const res = await fetch(`${f.sim.url}/api/v1${ns}/pods/${newPods[0]!.metadata!.name}/log?previous=true`);
      return res.text();
    },
  };
}

const eventsAbout = (w: World, name: string | undefined, reason: string) =>
  w.events.filter((e) => e.involvedObject.name === name && e.reason === reason).map((e) => e.message);
const podEvents = (w: World, reason: string) => eventsAbout(w, w.newPods[0]?.metadata?.name, reason);
const progressing = (w: World) => w.deployment.status?.conditions?.find((c) => c.type === 'Progressing');

const imagePull = (fragment: string) => async (w: World) => {
  expect(w.status?.state?.waiting?.reason).toBe('ImagePullBackOff');
  expect(w.status?.state?.waiting?.message).toContain(fragment);
  expect(podEvents(w, 'Failed').some((m) => m?.startsWith('Failed to pull image') && m.includes(fragment))).toBe(true);
  expect(podEvents(w, 'Failed')).toContain('Error: ErrImagePull');
  expect(podEvents(w, 'BackOff')[0]).toMatch(/^Back-off pulling image "/);
};

const crashLoop = (logLine: string, exit = { code: 1, reason: 'Error' }) => async (w: World) => {
  expect(w.status?.restartCount).toBeGreaterThan(3);
  expect(w.status?.lastState?.terminated).toMatchObject({ exitCode: exit.code, reason: exit.reason });
  expect(podEvents(w, 'BackOff')[0]).toMatch(new RegExp(`^Back-off restarting failed container ${w.status!.name} in pod ${w.newPods[0]!.metadata!.name}_`));
  if (logLine) expect(await w.previousLogs()).toContain(logLine);
};

const configError = (message: string) => async (w: World) => {
  expect(w.status?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message });
  expect(podEvents(w, 'Failed')).toContain(`Error: ${message}`);
  expect(w.newPods[0]!.status!.phase).toBe('Pending');
};

const unschedulable = (message: string) => async (w: World) => {
  const cond = w.newPods[0]!.status!.conditions!.find((c) => c.type === 'PodScheduled');
  expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
  expect(podEvents(w, 'FailedScheduling')).toEqual([message]);
};

const quotaFailure = (fragment: RegExp) => async (w: World) => {
  const newRS = w.replicaSets.find((rs) => rs.metadata!.annotations!['deployment.kubernetes.io/revision'] === '2')!;
  const failed = eventsAbout(w, newRS.metadata!.name, 'FailedCreate');
  expect(failed[0]).toMatch(fragment);
  const failure = w.deployment.status!.conditions!.find((c) => c.type === 'ReplicaFailure');
  expect(failure).toMatchObject({ status: 'True', reason: 'FailedCreate' });
  expect(w.newPods).toHaveLength(0);
};

/** What each scenario must look like after its failing revision has had eleven minutes. */
const EXPECTATIONS: Record<string, (w: World) => Promise<void>> = {
  healthy: async (w) => {
    expect(progressing(w)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(w.deployment.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(w.newPods.every((p) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True')).toBe(true);
  },
  'image-tag-not-found': imagePull('manifest for registry.example.com/api-server:v2.0.1 not found'),
  'image-repository-not-found': imagePull("pull access denied for registry.example.com/search-indexr, repository does not exist or may require 'docker login'"),
  'image-pull-unauthorized': imagePull('unauthorized: authentication required'),
  'invalid-image-name': async (w) => {
    expect(w.status?.state?.waiting?.reason).toBe('InvalidImageName');
    expect(podEvents(w, 'InspectFailed')[0]).toBe(
      'Failed to apply default image tag "registry.example.com/Notification-Service:v1.2.0": couldn\'t parse image name "registry.example.com/Notification-Service:v1.2.0": invalid reference format: repository name must be lowercase',
    );
  },
  'registry-unreachable': imagePull('dial tcp: lookup registry.internal.invalid on 10.96.0.10:53: no such host'),
  'crash-missing-module': crashLoop("Error: Cannot find module 'missing-dependency'"),
  'crash-config-dns': crashLoop('Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local'),
  'crash-connection-refused': crashLoop('Error: connect ECONNREFUSED 10.96.'),
  'crash-migration': crashLoop('Migration V3_0_0__add_user_preferences.sql failed'),
  'crash-exception': crashLoop('java.lang.NullPointerException'),
  'oom-killed': crashLoop('', { code: 137, reason: 'OOMKilled' }),
  'readiness-probe-failing': async (w) => {
    expect(w.status).toMatchObject({ ready: false, restartCount: 0, state: { running: expect.anything() } });
    expect(podEvents(w, 'Unhealthy')).toEqual(['Readiness probe failed: HTTP probe failed with statuscode: 500']);
  },
  'probe-port-mismatch': async (w) => {
    const ip = w.newPods[0]!.status!.podIP!;
    expect(podEvents(w, 'Unhealthy')).toContain(`Liveness probe failed: Get "http://${ip}:8080/healthz": dial tcp ${ip}:8080: connect: connection refused`);
    expect(podEvents(w, 'Killing')).toEqual(['Container catalog-api failed liveness probe, will be restarted']);
    expect(w.status?.restartCount).toBeGreaterThan(2);
  },
  'liveness-too-early': async (w) => {
    expect(podEvents(w, 'Killing')).toEqual(['Container ledger failed liveness probe, will be restarted']);
    const logs = await w.previousLogs();
    expect(logs).toContain('Warming up account index');
    expect(logs).not.toContain('Started LedgerApplication');
  },
  'missing-secret': configError('secret "auth-service-jwt" not found'),
  'missing-configmap': configError('configmap "recommendation-config-v2" not found'),
  'missing-config-key': configError("couldn't find key SMTP_PASSWORD in Secret production/email-sender-smtp"),
  'insufficient-memory': unschedulable(
    '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
  ),
  'node-selector-mismatch': unschedulable(
    "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
  ),
  'quota-exceeded': quotaFailure(
    /^Error creating: pods "batch-processor-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute-quota, requested: requests.memory=2Gi, used: requests.memory=3Gi, limited: requests.memory=4Gi$/,
  ),
  'rollout-stuck': quotaFailure(/is forbidden: exceeded quota: media-quota, requested: pods=1, used: pods=3, limited: pods=3$/),
  'rollout-paused': async (w) => {
    expect(w.deployment.spec!.paused).toBe(true);
    expect(progressing(w)).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(w.replicaSets).toHaveLength(1);
    expect(w.deployment.spec!.template!.spec!.containers[0]!.image).toBe('registry.example.com/cart-service:v3.1.0');
  },
  'service-no-endpoints': async (w) => {
    expect(progressing(w)).toMatchObject({ reason: 'NewReplicaSetAvailable' });
    const ep = await f.get<Endpoints>('/api/v1/namespaces/production/endpoints/search-api');
    expect(ep.subsets).toBeUndefined();
  },
};

describe('scenario catalog', () => {
  it('has an expectation for every scenario', () => {
    expect(Object.keys(EXPECTATIONS).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s reaches its failure state', async (_name, s) => {
    const w = await observe(s);
    expect(w.deployment.metadata!.annotations!['kubernetes.io/change-cause']).toBe(s.changeCause);
    const failing = s.expect.includes('PROGRESS_DEADLINE_EXCEEDED') || (s.name !== 'healthy' && s.name !== 'rollout-paused' && s.name !== 'service-no-endpoints');
    if (failing) expect(progressing(w)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    await EXPECTATIONS[s.name]!(w);
  });
});
