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
  previousLogs(container?: string): Promise<string>;
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
    previousLogs: async (container?: string) => {
      const res = await fetch(`${f.sim.url}/api/v1${ns}/pods/${newPods[0]!.metadata!.name}/log?previous=true${container ? `&container=${container}` : ''}`);
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

/** With every scenario loaded the cluster has the GPU pool of untolerated-taint: six nodes, three of them tainted. */
const TAINTS = '1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) had untolerated taint {nvidia.com/gpu: present}';

const admissionFailure = (message: (pod: string) => string) => async (w: World) => {
  const newRS = w.replicaSets.find((rs) => rs.metadata!.annotations!['deployment.kubernetes.io/revision'] === '2')!;
  const failed = eventsAbout(w, newRS.metadata!.name, 'FailedCreate');
  const pod = /pods "([^"]+)"/.exec(failed[0] ?? '')?.[1] ?? `${newRS.metadata!.name}-xxxxx`;
  expect(failed[0]).toBe(`Error creating: ${message(pod)}`);
  expect(pod.startsWith(`${newRS.metadata!.name}-`)).toBe(true);
  expect(w.deployment.status!.conditions!.find((c) => c.type === 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: message(pod) });
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
    `0/6 nodes are available: ${TAINTS}, 3 Insufficient memory. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.`,
  ),
  'node-selector-mismatch': unschedulable(
    `0/6 nodes are available: ${TAINTS}, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.`,
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
  'untolerated-taint': unschedulable(
    `0/6 nodes are available: ${TAINTS}, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.`,
  ),
  'unschedulable-other': unschedulable(
    `0/6 nodes are available: ${TAINTS}, 3 node(s) didn't match pod anti-affinity rules. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.`,
  ),
  'pvc-not-found': unschedulable('0/6 nodes are available: persistentvolumeclaim "report-archive" not found. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.'),
  'pvc-unbound': async (w) => {
    await unschedulable('0/6 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.')(w);
    const pvc = await f.get<{ status: { phase: string } }>('/api/v1/namespaces/production/persistentvolumeclaims/document-store-data');
    expect(pvc.status.phase).toBe('Pending');
    const failed = w.events.filter((e) => e.involvedObject.kind === 'PersistentVolumeClaim' && e.involvedObject.name === 'document-store-data');
    expect(failed).toEqual([expect.objectContaining({ type: 'Warning', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "fast-ssd" not found', source: { component: 'persistentvolume-controller' } })]);
    expect(failed[0]!.count).toBeGreaterThan(40);
  },
  'limitrange-exceeded': admissionFailure((pod) => `pods "${pod}" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi`),
  'pod-security-violation': admissionFailure(
    (pod) =>
      `pods "${pod}" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "card-vault" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "card-vault" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "card-vault" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "card-vault" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`,
  ),
  'admission-webhook-denied': admissionFailure(
    () =>
      'admission webhook "images.policy.example.com" denied the request: container "fulfillment-api" uses image "ghcr.io/acme-oss/fulfillment-api:v2.1.0" from registry "ghcr.io", which is not an approved registry (approved: registry.example.com)',
  ),
  'init-container-failing': async (w) => {
    const pod = w.newPods[0]!;
    const init = pod.status!.initContainerStatuses![0]!;
    expect(pod.status!.phase).toBe('Pending');
    expect(init.restartCount).toBeGreaterThan(3);
    expect(init.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(init.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(w.status?.state?.waiting).toEqual({ reason: 'PodInitializing' });
    expect(pod.status!.conditions!.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [db-migrate]' });
    expect(podEvents(w, 'BackOff')[0]).toMatch(new RegExp(`^Back-off restarting failed container db-migrate in pod ${pod.metadata!.name}_`));
    expect(await w.previousLogs('db-migrate')).toContain('column "tax_region_id" of relation "invoices" contains null values');
  },
  'container-start-failed': async (w) => {
    const message = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/serve": stat /app/serve: no such file or directory: unknown';
    expect(w.status?.restartCount).toBeGreaterThan(3);
    expect(w.status?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(w.status?.lastState?.terminated).toMatchObject({ exitCode: 128, reason: 'StartError', message, startedAt: '1970-01-01T00:00:00Z' });
    expect(podEvents(w, 'Failed')).toEqual([`Error: ${message}`]);
    expect(podEvents(w, 'Started')).toEqual([]);
  },
  'startup-probe-failing': async (w) => {
    const ip = w.newPods[0]!.status!.podIP!;
    expect(podEvents(w, 'Unhealthy')).toEqual([`Startup probe failed: Get "http://${ip}:8080/healthz": dial tcp ${ip}:8080: connect: connection refused`]);
    expect(podEvents(w, 'Killing')).toEqual(['Container catalog-indexer failed startup probe, will be restarted']);
    expect(w.status).toMatchObject({ started: false, ready: false });
    expect(w.status?.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(await w.previousLogs()).not.toContain('Index loaded');
  },
  'service-selector-mismatch': async (w) => {
    expect(progressing(w)).toMatchObject({ reason: 'NewReplicaSetAvailable' });
    expect(w.newPods.map((p) => p.metadata!.labels!.tier)).toEqual(['backend', 'backend', 'backend']);
    const ep = await f.get<Endpoints>('/api/v1/namespaces/production/endpoints/profile-api');
    expect(ep.subsets).toBeUndefined();
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
    const failing = s.expect.includes('PROGRESS_DEADLINE_EXCEEDED') || !['healthy', 'rollout-paused', 'service-no-endpoints', 'service-selector-mismatch'].includes(s.name);
    if (failing) expect(progressing(w)).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    await EXPECTATIONS[s.name]!(w);
  });
});
