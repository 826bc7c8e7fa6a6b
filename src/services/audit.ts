import type { AuditEntry, DeploymentTarget, Store } from '../ports.js';

/** Proposals, votes, executions and results of one deployment, oldest first: `/deploy audit` and `deploy-medic audit`. */
export interface AuditTrail {
  list(target: DeploymentTarget): Promise<AuditEntry[]>;
}

export const storeAuditTrail = (store: Store): AuditTrail => ({ list: (target) => store.listAudit(target) });
