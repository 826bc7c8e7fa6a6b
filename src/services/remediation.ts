import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { planAction, type ActionPlan, type ActionRefusal, type ActionRequest } from '../domain/actions/index.js';
import type { Clock, Clusters, DeploymentTarget } from '../ports.js';
import type { Found } from './reading.js';
import { readRevisions } from './revisions.js';

export type PlanResult = { ok: true; plan: ActionPlan } | { ok: false; refusal: ActionRefusal };

/** Changes run at once (the CLI, with its own confirmation): planned against the deployment as it is now, applied with the plan's precondition. */
export interface RemediationService {
  plan(t: DeploymentTarget, request: ActionRequest, found?: Found): Promise<PlanResult>;
  /** Patches the deployment; CONFLICT when it changed since the plan was made. */
  apply(t: DeploymentTarget, plan: ActionPlan): Promise<Deployment>;
}

export class Remediation implements RemediationService {
  constructor(
    private readonly clusters: Clusters,
    private readonly clock: Clock,
  ) {}

  async plan(t: DeploymentTarget, request: ActionRequest, found?: Found): Promise<PlanResult> {
    const { deployment, replicaSets } = await readRevisions(this.clusters.get(t.cluster), t, found);
    return planAction({ deployment, replicaSets, now: this.clock.now() }, request);
  }

  apply(t: DeploymentTarget, plan: ActionPlan): Promise<Deployment> {
    return this.clusters.get(t.cluster).patchDeployment(t.namespace, t.name, plan.patch);
  }
}
