import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { selectorString } from '../domain/selector.js';
import { controlledBy } from '../domain/workload.js';
import type { Cluster, DeploymentRef } from '../ports.js';

/** The deployment and the ReplicaSets it controls: what `kubectl rollout history` and `undo` read. */
export async function readRevisions(cluster: Cluster, ref: DeploymentRef, found?: () => Promise<void>): Promise<{ deployment: Deployment; replicaSets: ReplicaSet[] }> {
  const deployment = await cluster.getDeployment(ref.namespace, ref.name);
  await found?.();
  const replicaSets = controlledBy([deployment], await cluster.listReplicaSets(ref.namespace, selectorString(deployment.spec?.selector)));
  return { deployment, replicaSets };
}
