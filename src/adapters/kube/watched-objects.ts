import type { KubernetesObject } from '@kubernetes/client-node';
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';

/**
 * What the watcher keeps of each object: the fields its failure signals read
 * (domain/failure-signals.ts, domain/rollout.ts, domain/workload.ts), so a
 * cluster of 50,000 pods fits in a small pod. Pods are the bulk and keep only
 * identity, ownership, placement, probes and status; Deployments and
 * ReplicaSets keep everything but the server's bookkeeping (the template is
 * compared to find the current ReplicaSet).
 */
export function watchedObject(what: 'deployments' | 'replicasets' | 'pods', obj: KubernetesObject): KubernetesObject {
  // The informer holds the API's plain JSON (dates as strings), not client-node's typed objects.
  return what === 'pods' ? (slimPod(obj as unknown as Pod) as unknown as KubernetesObject) : withoutBookkeeping(obj);
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function withoutBookkeeping(obj: KubernetesObject): KubernetesObject {
  const { managedFields: _m, annotations, ...metadata } = obj.metadata ?? {};
  const kept = annotations && Object.fromEntries(Object.entries(annotations).filter(([k]) => k !== LAST_APPLIED));
  return { ...obj, metadata: { ...metadata, ...(kept ? { annotations: kept } : {}) } };
}

const probes = (c: Container): Container => ({
  name: c.name,
  ...(c.startupProbe ? { startupProbe: c.startupProbe } : {}),
  ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}),
  ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
});

/** Conditions the signals read: Ready (ready, or why not) and PodScheduled (Unschedulable). */
const READ_CONDITIONS = new Set(['Ready', 'PodScheduled']);

const slimStatus = ({ name, ready, restartCount, state, lastState }: ContainerStatus): Partial<ContainerStatus> => ({ name, ready, restartCount, ...(state ? { state } : {}), ...(lastState ? { lastState } : {}) });

function slimPod(pod: Pod) {
  const m = pod.metadata ?? {};
  const { phase, conditions, containerStatuses, initContainerStatuses, startTime } = pod.status ?? {};
  const controller = m.ownerReferences?.filter((r) => r.controller).map(({ apiVersion, kind, name, uid, controller }) => ({ apiVersion, kind, name, uid, controller }));
  return {
    apiVersion: pod.apiVersion,
    kind: pod.kind,
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      // The informer resumes its watch from the last object's resourceVersion.
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
      ...(controller?.length ? { ownerReferences: controller } : {}),
    },
    spec: {
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      containers: (pod.spec?.containers ?? []).map(probes),
      ...(pod.spec?.initContainers ? { initContainers: pod.spec.initContainers.map(probes) } : {}),
    },
    status: {
      ...(phase ? { phase } : {}),
      ...(startTime ? { startTime } : {}),
      ...(conditions ? { conditions: conditions.filter((c) => READ_CONDITIONS.has(c.type)).map(({ type, status, reason, message, lastTransitionTime }) => ({ type, status, reason, message, lastTransitionTime })) } : {}),
      ...(containerStatuses ? { containerStatuses: containerStatuses.map(slimStatus) } : {}),
      ...(initContainerStatuses ? { initContainerStatuses: initContainerStatuses.map(slimStatus) } : {}),
    },
  };
}
