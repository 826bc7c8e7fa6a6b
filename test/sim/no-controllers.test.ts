/**
 * The simulator without controllers is plain API storage: any observed state
 * can be loaded with kubectl (objects, then their statuses through the status
 * subresource), is served back unchanged, and nothing moves when time passes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseTable } from '../helpers/kubectl.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const dir = mkdtempSync(join(tmpdir(), 'no-controllers-'));
const NS = 'shop';
const IMAGE = 'registry.example.com/api:v2.3.1';
const HASH = '7d9f8c6b5d';

type Obj = { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec?: unknown; status?: unknown };

function writeYaml(name: string, ...docs: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, docs.map((d) => stringify(d)).join('---\n'));
  return path;
}

const at = (secondsAgo: number) => new Date(f.sim.clock.now().getTime() - secondsAgo * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A container spec as a real apiserver serves it: every default already present. */
const container = {
  name: 'api',
  image: IMAGE,
  ports: [{ containerPort: 8080, protocol: 'TCP' }],
  resources: { limits: { memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  imagePullPolicy: 'IfNotPresent',
};
const podSpec = {
  containers: [container],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  securityContext: {},
  schedulerName: 'default-scheduler',
};
const template = { metadata: { labels: { app: 'api', 'pod-template-hash': HASH } }, spec: podSpec };

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: NS, labels: { app: 'api', team: 'payments' }, annotations: { 'deployment.kubernetes.io/revision': '4', 'kubernetes.io/change-cause': 'deploy v2.3.1' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: podSpec },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
};
const replicaSet = (ownerUid: string) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: `api-${HASH}`,
    namespace: NS,
    labels: { app: 'api', 'pod-template-hash': HASH },
    annotations: { 'deployment.kubernetes.io/revision': '4', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: ownerUid, controller: true, blockOwnerDeletion: true }],
  },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api', 'pod-template-hash': HASH } }, template },
});
const pod = (ownerUid: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `api-${HASH}-x2x9k`,
    namespace: NS,
    labels: { app: 'api', 'pod-template-hash': HASH },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `api-${HASH}`, uid: ownerUid, controller: true, blockOwnerDeletion: true }],
  },
  spec: { ...podSpec, nodeName: 'worker-2', serviceAccountName: 'default', serviceAccount: 'default' },
});

let written: Record<string, Obj> = {};

beforeAll(async () => {
  f = await startSim({ controllers: false });
  const k = f.kubectl;
  await k.ok('create', '-f', writeYaml('ns.yaml', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
  await k.ok('create', '-f', writeYaml('deployment.yaml', deployment));
  const depUid = await k.ok('get', 'deployment', 'api', '-n', NS, '-o', 'jsonpath={.metadata.uid}');
  await k.ok('create', '-f', writeYaml('replicaset.yaml', replicaSet(depUid)));
  const rsUid = await k.ok('get', 'rs', `api-${HASH}`, '-n', NS, '-o', 'jsonpath={.metadata.uid}');
  await k.ok('create', '-f', writeYaml('pod.yaml', pod(rsUid)));

  const podStatus = {
    phase: 'Running',
    conditions: [
      { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: at(900) },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at(900) },
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: at(100), reason: 'ContainersNotReady', message: 'containers with unready status: [api]' },
      { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: at(100), reason: 'ContainersNotReady', message: 'containers with unready status: [api]' },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at(900) },
    ],
    hostIP: '192.168.49.4',
    hostIPs: [{ ip: '192.168.49.4' }],
    podIP: '10.244.2.7',
    podIPs: [{ ip: '10.244.2.7' }],
    startTime: at(900),
    containerStatuses: [
      {
        name: 'api',
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 2m40s restarting failed container=api pod=api-${HASH}-x2x9k_${NS}(0b6f1f0e)` } },
        lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: at(160), finishedAt: at(100), containerID: 'containerd://4f1c0a' } },
        ready: false,
        restartCount: 5,
        image: IMAGE,
        imageID: `${IMAGE.split(':')[0]}@sha256:9c1f0a7e5b2d`,
        containerID: 'containerd://4f1c0a',
        started: false,
      },
    ],
    qosClass: 'Burstable',
  };
  const deploymentStatus = {
    observedGeneration: 1,
    replicas: 3,
    updatedReplicas: 1,
    readyReplicas: 2,
    availableReplicas: 2,
    unavailableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', lastUpdateTime: at(3600), lastTransitionTime: at(3600), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'False', lastUpdateTime: at(60), lastTransitionTime: at(60), reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "api-${HASH}" has timed out progressing.` },
    ],
  };
  const rsStatus = { replicas: 1, fullyLabeledReplicas: 1, observedGeneration: 1 };

  const current = async (kind: string, name: string) => JSON.parse(await k.ok('get', kind, name, '-n', NS, '-o', 'json')) as Obj;
  const podObj = { ...(await current('pod', `api-${HASH}-x2x9k`)), status: podStatus };
  const depObj = { ...(await current('deployment', 'api')), status: deploymentStatus };
  const rsObj = { ...(await current('rs', `api-${HASH}`)), status: rsStatus };
  for (const o of [podObj, depObj, rsObj]) delete o.metadata.resourceVersion; // an unconditional status write
  await k.ok('replace', '--subresource=status', '-f', writeYaml('statuses.yaml', podObj, depObj, rsObj));
  written = { pod: podObj, deployment: depObj, replicaset: rsObj };
});
afterAll(() => f.sim.stop());

/** What the server set itself and a comparison must ignore. */
const SERVER_SET = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields'];
function userView(o: Obj): Obj {
  const metadata = Object.fromEntries(Object.entries(o.metadata).filter(([k]) => !SERVER_SET.includes(k)));
  return { ...o, metadata };
}
const served = async (kind: string, name: string) => JSON.parse(await f.kubectl.ok('get', kind, name, '-n', NS, '-o', 'json')) as Obj;

describe('kubectl create + replace --subresource=status without controllers', () => {
  it.each([
    ['pod', `api-${HASH}-x2x9k`],
    ['deployment', 'api'],
    ['replicaset', `api-${HASH}`],
  ])('the %s comes back exactly as written', async (kind, name) => {
    const got = await served(kind, name);
    expect(userView(got)).toEqual(userView(written[kind]!));
    expect(got.metadata.generation ?? 1).toBe(1);
  });

  it('kubectl renders the written state: CrashLoopBackOff with 5 restarts, the OOMKilled last state', async () => {
    const [row] = parseTable(await f.kubectl.ok('get', 'pods', '-n', NS));
    expect(row).toEqual({ NAME: `api-${HASH}-x2x9k`, READY: '0/1', STATUS: 'CrashLoopBackOff', RESTARTS: '5 (100s ago)', AGE: '0s' });
    const describe = await f.kubectl.ok('describe', 'pod', `api-${HASH}-x2x9k`, '-n', NS);
    expect(describe).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff\n\s+Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
    expect(describe).toMatch(/Restart Count:\s+5\n/);
    const [dep] = parseTable(await f.kubectl.ok('get', 'deployment', 'api', '-n', NS));
    expect(dep).toEqual({ NAME: 'api', READY: '2/3', 'UP-TO-DATE': '1', AVAILABLE: '2', AGE: '0s' });
  });

  it('kubectl rollout status judges the written status: the progress deadline was exceeded', async () => {
    const r = await f.kubectl.run('rollout', 'status', 'deployment/api', '-n', NS, '--timeout=10s');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: deployment "api" exceeded its progress deadline\n');
  });

  it('nothing happens as time passes: no ReplicaSets or pods created, nothing rewritten, no events', async () => {
    const snapshot = async () => ({
      deployment: await served('deployment', 'api'),
      rs: (JSON.parse(await f.kubectl.ok('get', 'rs', '-n', NS, '-o', 'json')) as { items: Obj[] }).items,
      pods: (JSON.parse(await f.kubectl.ok('get', 'pods', '-A', '-o', 'json')) as { items: Obj[] }).items,
    });
    const before = await snapshot();
    f.sim.advance(30 * 60_000);
    const after = await snapshot();
    expect(after).toEqual(before);
    expect(after.rs).toHaveLength(1);
    expect(after.pods).toHaveLength(1);
    const events = await f.kubectl.run('get', 'events', '-A');
    expect(events.stderr).toBe('No resources found\n');
    expect(parseTable(await f.kubectl.ok('get', 'nodes')).length).toBe(0);
  });

  it('a new status is judged anew: rollout status --watch=false reports the rollout in progress', async () => {
    const dep = await served('deployment', 'api');
    const status = {
      ...(dep.status as Record<string, unknown>),
      conditions: [
        { type: 'Available', status: 'True', lastUpdateTime: at(3600), lastTransitionTime: at(3600), reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
        { type: 'Progressing', status: 'True', lastUpdateTime: at(5), lastTransitionTime: at(300), reason: 'ReplicaSetUpdated', message: `ReplicaSet "api-${HASH}" is progressing.` },
      ],
    };
    await f.kubectl.ok('replace', '--subresource=status', '-f', writeYaml('progressing.yaml', { ...dep, status }));
    expect((await served('deployment', 'api')).status).toEqual(status);
    const r = await f.kubectl.run('rollout', 'status', 'deployment/api', '-n', NS, '--watch=false');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated...\n');
  });
});
