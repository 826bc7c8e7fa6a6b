import { randomUUID } from 'node:crypto';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { planAction, type ActionPlan, type ActionRefusal, type ActionRequest } from '../domain/actions/index.js';
import { MedicError } from '../errors.js';
import type { Clock, Clusters, DeploymentTarget } from '../ports.js';
import type { Found } from './reading.js';
import { readRevisions } from './revisions.js';
import type { ProposalView } from './views.js';

export type PlanResult = { ok: true; plan: ActionPlan } | { ok: false; refusal: ActionRefusal };

/** Changes to a deployment: planned against what it is now, proposed, applied with the plan's precondition. */
export interface RemediationService {
  plan(t: DeploymentTarget, request: ActionRequest, found?: Found): Promise<PlanResult>;
  /** A plan for someone to approve; a refusal is a MedicError (NOT_FOUND or USAGE) naming why. */
  propose(t: DeploymentTarget, request: ActionRequest, requestedBy: string, found?: Found): Promise<ProposalView>;
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

  async propose(t: DeploymentTarget, request: ActionRequest, requestedBy: string, found?: Found): Promise<ProposalView> {
    const outcome = await this.plan(t, request, found);
    if (!outcome.ok) throw new MedicError(outcome.refusal.kind === 'missing' ? 'NOT_FOUND' : 'USAGE', outcome.refusal.message);
    const { plan } = outcome;
    const changesImages = plan.imagesAfter.join() !== plan.imagesBefore.join();
    return {
      ...t,
      id: randomUUID(),
      action: request.kind,
      requestedBy,
      summary: plan.summary,
      ...(plan.toRevision !== undefined ? { fromRevision: plan.fromRevision, toRevision: plan.toRevision } : {}),
      ...(changesImages ? { images: plan.imagesAfter } : {}),
      command: plan.kubectl,
      createdAt: this.clock.now().toISOString(),
    };
  }

  apply(t: DeploymentTarget, plan: ActionPlan): Promise<Deployment> {
    return this.clusters.get(t.cluster).patchDeployment(t.namespace, t.name, plan.patch);
  }
}
