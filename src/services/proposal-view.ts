import { approversOf, status } from '../domain/approval.js';
import type { ProposalRecord } from '../ports.js';
import { paramsOf } from './proposal-record.js';
import type { ChangeView, ProposalView } from './views.js';

/** A stored proposal as the cards show it, its status derived at `now`. */
export function proposalView(record: ProposalRecord, now: Date): ProposalView {
  const { plans, warnings } = paramsOf(record);
  const first = record.deployments[0]!;
  const changes: ChangeView[] = plans.map((p) => ({
    namespace: p.namespace,
    name: p.name,
    summary: p.summary,
    ...(p.toRevision !== undefined ? { fromRevision: p.fromRevision, toRevision: p.toRevision } : {}),
    ...(p.imagesAfter.join() !== p.imagesBefore.join() ? { images: p.imagesAfter } : {}),
    command: p.kubectl,
  }));
  const rejection = record.votes.find((v) => v.verdict === 'reject');
  return {
    cluster: record.cluster,
    namespace: first.namespace,
    name: record.deployments.map((d) => d.name).join(', '),
    id: record.id,
    action: record.action as ProposalView['action'],
    requestedBy: record.requester,
    createdAt: record.createdAt.toISOString(),
    expiresAt: record.expiresAt.toISOString(),
    status: status(record, now),
    required: record.required,
    approvers: approversOf(record),
    ...(rejection ? { rejectedBy: rejection.userId } : {}),
    fourEyes: record.fourEyes,
    changes,
    warnings,
  };
}
