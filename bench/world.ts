import type { KubeObject } from '../src/sim/kube/object.js';
import { resourceOfKind } from '../src/sim/kube/resources.js';
import type { KubeSimulator } from '../src/sim/kube/simulator.js';

const R = (kind: string) => resourceOfKind(kind);

/**
 * A large failing rollout written straight into the simulator's store:
 * half the pods on a healthy old revision, half crash-looping on the new
 * one, and a namespace full of events, most about other things.
 */
export function loadFailingDeployment(sim: KubeSimulator, size: { pods: number; events: number }): { namespace: string; name: string; failingPod: string } {
  const { store } = sim;
  const namespace = 'bench';
  const name = 'big-api';
  const ts = sim.clock.timestamp();
  store.create(R('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const template = (image: string, hash?: string) => ({
    metadata: { labels: { app: name, ...(hash ? { 'pod-template-hash': hash } : {}) } },
    spec: { containers: [{ name: 'api', image, ports: [{ containerPort: 8080 }], resources: { limits: { memory: '256Mi' } } }] },
  });
  const d = store.create(R('Deployment'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: size.pods / 2, selector: { matchLabels: { app: name } }, template: template('registry.example.com/big-api:v2') },
  } as KubeObject);
  store.update(R('Deployment'), {
    ...d,
    status: {
      observedGeneration: 1,
      replicas: size.pods,
      updatedReplicas: size.pods / 2,
      readyReplicas: size.pods / 2,
      availableReplicas: size.pods / 2,
      unavailableReplicas: size.pods / 2,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: ts, lastTransitionTime: ts },
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}-new" has timed out progressing.`, lastUpdateTime: ts, lastTransitionTime: ts },
      ],
    },
  }, { subresource: 'status' });
  const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name, uid: d.metadata.uid!, controller: true };
  const replicaSets = [
    { hash: 'old', revision: '1', image: 'registry.example.com/big-api:v1', healthy: true },
    { hash: 'new', revision: '2', image: 'registry.example.com/big-api:v2', healthy: false },
  ].map((r) => ({
    ...r,
    rs: store.create(R('ReplicaSet'), {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-${r.hash}`, namespace, labels: { app: name, 'pod-template-hash': r.hash }, ownerReferences: [owner], annotations: { 'deployment.kubernetes.io/revision': r.revision } },
      spec: { replicas: size.pods / 2, selector: { matchLabels: { app: name, 'pod-template-hash': r.hash } }, template: template(r.image, r.hash) },
    } as KubeObject),
  }));
  let failingPod = '';
  const podNames: string[] = [];
  for (const { rs, hash, image, healthy } of replicaSets) {
    store.update(R('ReplicaSet'), { ...rs, status: { replicas: size.pods / 2, readyReplicas: healthy ? size.pods / 2 : 0, availableReplicas: healthy ? size.pods / 2 : 0 } }, { subresource: 'status' });
    for (let i = 0; i < size.pods / 2; i++) {
      const pod = store.create(R('Pod'), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${hash}-${String(i).padStart(5, '0')}`, namespace, labels: { app: name, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }] },
        spec: { nodeName: 'node-1', containers: template(image).spec.containers },
      } as KubeObject);
      const terminated = { exitCode: 1, reason: 'Error', startedAt: ts, finishedAt: ts };
      store.update(R('Pod'), {
        ...pod,
        status: {
          phase: 'Running',
          podIP: `10.244.0.${i % 250}`,
          conditions: [{ type: 'Ready', status: healthy ? 'True' : 'False', lastTransitionTime: ts }],
          containerStatuses: [
            healthy
              ? { name: 'api', image, imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: ts } } }
              : { name: 'api', image, imageID: '', ready: false, restartCount: 7, started: false, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } }, lastState: { terminated } },
          ],
        },
      }, { subresource: 'status' });
      podNames.push(pod.metadata.name!);
      if (!healthy && !failingPod) failingPod = pod.metadata.name!;
    }
  }
  for (let i = 0; i < size.events; i++) {
    const about = i % 5 === 0 ? podNames[i % podNames.length]! : `unrelated-${i % 400}`;
    store.create(R('Event'), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${about}.${i.toString(16)}`, namespace },
      involvedObject: { kind: 'Pod', namespace, name: about, uid: about.startsWith('unrelated') ? `uid-${about}` : store.get(R('Pod'), namespace, about)!.metadata.uid },
      reason: i % 2 ? 'BackOff' : 'Pulled',
      message: i % 2 ? `Back-off restarting failed container api in pod ${about}` : 'Container image "registry.example.com/big-api:v2" already present on machine',
      type: i % 2 ? 'Warning' : 'Normal',
      source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: ts,
      lastTimestamp: ts,
      count: 1 + (i % 20),
    });
  }
  return { namespace, name, failingPod };
}
