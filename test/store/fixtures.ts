import { openApproval, transition, type ApprovalEffect, type ApprovalEvent, type ApprovalTerms } from '../../src/domain/approval.js';
import type { DeploymentBinding, NewAuditEntry, NewProposal, ProposalChangeResult, ProposalRecord, Store } from '../../src/ports.js';

export const T0 = new Date('2025-03-04T10:27:00.000Z');
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export const binding = (name: string, over: Partial<DeploymentBinding> = {}): DeploymentBinding => ({
  namespace: 'production',
  name,
  uid: `uid-${name}`,
  generation: 4,
  resourceVersion: '1207',
  ...over,
});

/** A proposal as the remediation service would make it (at `over.createdAt`, default T0), with its opening audit entries. */
export function newProposal(id: string, over: Partial<NewProposal> = {}, terms: Partial<ApprovalTerms> = {}) {
  const now = over.createdAt ?? T0;
  const opened = openApproval({ requester: 'U0ALICE', required: 1, fourEyes: true, ttlMinutes: 15, ...terms }, now);
  const { votes: _votes, lifecycle: _lifecycle, ...facts } = opened.state;
  const proposal: NewProposal = {
    ...facts,
    id,
    channel: 'C0PROD',
    cluster: 'prod',
    deployments: [binding('api-server', { targetRevision: 3, targetTemplateHash: '5d8f7c9b6' })],
    action: 'rollback',
    params: { toRevision: 3 },
    ...over,
  };
  return { proposal, audit: auditOf(proposal, opened.effects) };
}

export async function createProposal(store: Store, id: string, over: Partial<NewProposal> = {}, terms: Partial<ApprovalTerms> = {}) {
  const { proposal, audit } = newProposal(id, over, terms);
  return store.createProposal(proposal, audit);
}

/** The machine's audit effects placed on the proposal's deployments. */
export function auditOf(p: Pick<NewProposal, 'id' | 'cluster' | 'deployments'>, effects: readonly ApprovalEffect[]): NewAuditEntry[] {
  const namespace = p.deployments[0]?.namespace ?? '';
  return effects.flatMap((e) => (e.kind === 'audit' ? [{ ...e.entry, cluster: p.cluster, namespace, proposalId: p.id }] : []));
}

/** Runs one event through the machine and saves it with compare-and-set, as the service will. */
export async function apply(store: Store, record: ProposalRecord, event: ApprovalEvent, now: Date): Promise<ProposalChangeResult> {
  const r = transition(record, event, now);
  if (!r.accepted) throw new Error(`refused: ${r.reason}`);
  return store.transitionProposal(record.id, record.version, {
    recordedStatus: r.status,
    lifecycle: r.state.lifecycle,
    vote: r.vote,
    audit: auditOf(record, r.effects),
  });
}

export const approve = (userId: string): ApprovalEvent => ({ kind: 'vote', userId, verdict: 'approve' });
export const lease = (holder: string, now: Date, leaseMs = 30_000) => ({ holder, now, leaseMs });
