import { alertSubject, type Alert } from '../domain/alertmanager.js';
import { revisionOf } from '../domain/workload.js';
import { toMedicError } from '../errors.js';
import type { Clusters, DeploymentTarget } from '../ports.js';
import type { AlertResolver } from './incidents.js';

const ownerOf = (o: { metadata?: { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> } }, kind: string) =>
  o.metadata?.ownerReferences?.find((r) => r.controller && r.kind === kind)?.name;

/**
 * The deployment an alert is about, as kube-state-metrics' kube_pod_owner
 * chain would find it: a `deployment` label names it; a `pod` label through
 * its owner ReplicaSet; a `replicaset` label through its owner. A `cluster`
 * label picks one of the policy's clusters. Gone objects map to nothing:
 * the alert then opens an incident of its own group.
 */
export function alertResolver(clusters: Clusters, clusterNames: string[]): AlertResolver {
  return async (alert: Alert) => {
    const subject = alertSubject(alert);
    if (subject.kind === 'none') return undefined;
    const cluster = alert.labels.cluster && clusterNames.includes(alert.labels.cluster) ? alert.labels.cluster : clusterNames[0]!;
    const kube = clusters.get(cluster);
    try {
      let name: string | undefined = subject.kind === 'deployment' ? subject.name : undefined;
      if (subject.kind === 'pod') {
        const rs = ownerOf(await kube.getPod(subject.namespace, subject.name), 'ReplicaSet');
        name = rs && ownerOf(await kube.getReplicaSet(subject.namespace, rs), 'Deployment');
      }
      if (subject.kind === 'replicaset') name = ownerOf(await kube.getReplicaSet(subject.namespace, subject.name), 'Deployment');
      if (!name) return undefined;
      const target: DeploymentTarget = { cluster, namespace: subject.namespace, name };
      return { target, revision: revisionOf(await kube.getDeployment(subject.namespace, name)) };
    } catch (e) {
      if (toMedicError(e).code === 'NOT_FOUND') return undefined;
      throw e;
    }
  };
}
