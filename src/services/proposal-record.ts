import type { ActionPlan, ActionRequest } from '../domain/actions/index.js';
import type { ApprovalEffect } from '../domain/approval.js';
import type { NewAuditEntry, ProposalRecord } from '../ports.js';

/** What a proposal stores besides its bindings: the request and the plans exactly as approved. */
export interface ProposalParams {
  request: ActionRequest;
  plans: ActionPlan[];
  warnings: string[];
}

export const paramsOf = (p: ProposalRecord): ProposalParams => p.params as unknown as ProposalParams;

/** The machine's audit effects, placed on the proposal (all its deployments). */
export function auditEntries(p: { id: string; cluster: string; namespace: string }, effects: readonly ApprovalEffect[]): NewAuditEntry[] {
  return effects.flatMap((e) => (e.kind === 'audit' ? [{ ...e.entry, cluster: p.cluster, namespace: p.namespace, proposalId: p.id }] : []));
}
