import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { selectorString } from '../adapters/kube/selector.js';
import { planRollback, type RollbackPlan } from '../domain/rollout.js';
import { MedicError } from '../errors.js';
import type { Cluster, DeploymentRef } from '../ports.js';

export type ReadyPlan = Extract<RollbackPlan, { ok: true }> & { deployment: Deployment };

/** Reads what `kubectl rollout undo` reads and decides the same target; nothing is changed yet. */
export async function prepareRollback(cluster: Cluster, ref: DeploymentRef, toRevision = 0): Promise<ReadyPlan | Extract<RollbackPlan, { ok: false }>> {
  const deployment = await cluster.getDeployment(ref.namespace, ref.name);
  const uid = deployment.metadata?.uid;
  const owned = (await cluster.listReplicaSets(ref.namespace, selectorString(deployment.spec?.selector))).filter((rs) =>
    rs.metadata?.ownerReferences?.some((o) => o.controller && o.uid === uid),
  );
  const plan = planRollback(deployment, owned, toRevision);
  return plan.ok ? { ...plan, deployment } : plan;
}

/**
 * Applies the rollback patch with the deployment's resourceVersion as a
 * precondition, so a deployment changed since the plan was made is not
 * overwritten (kubectl has no such check; an approved rollback must).
 */
export async function applyRollback(cluster: Cluster, ref: DeploymentRef, plan: ReadyPlan): Promise<Deployment> {
  const rv = plan.deployment.metadata?.resourceVersion;
  const ops = rv ? [{ op: 'test', path: '/metadata/resourceVersion', value: rv }, ...plan.patch] : plan.patch;
  try {
    return await cluster.patchDeploymentJson(ref.namespace, ref.name, ops);
  } catch (e) {
    // A failed JSON-patch `test` is the apiserver's generic 422 "rejected our request".
    if (e instanceof MedicError && e.details.httpStatus === 422 && /rejected our request/.test(e.message)) {
      throw new MedicError('CONFLICT', `deployment ${ref.namespace}/${ref.name} changed while the rollback was being prepared; diagnose again`, { cause: e });
    }
    throw e;
  }
}
