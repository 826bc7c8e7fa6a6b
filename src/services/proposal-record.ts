import type { ActionPlan, ActionRequest } from '../domain/actions/index.js';
import type { ApprovalEffect, Transition } from '../domain/approval.js';
import type { NewAuditEntry, ProposalChangeResult, ProposalRecord, Store } from '../ports.js';

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

/**
 * An accepted transition saved by compare-and-set with its audit entries:
 * the record as saved when this writer won, or why it lost.
 */
export async function saveTransition(
  store: Store,
  record: ProposalRecord,
  t: Extract<Transition<ProposalRecord>, { accepted: true }>,
): Promise<{ won: true; record: ProposalRecord } | Extract<ProposalChangeResult, { won: false }>> {
  const saved = await store.transitionProposal(record.id, record.version, {
    recordedStatus: t.status,
    lifecycle: t.state.lifecycle,
    ...(t.vote ? { vote: t.vote } : {}),
    audit: auditEntries({ id: record.id, cluster: record.cluster, namespace: record.deployments[0]!.namespace }, t.effects),
  });
  return saved.won ? { won: true, record: { ...record, ...t.state, version: saved.version, recordedStatus: t.status } } : saved;
}
