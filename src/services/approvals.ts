import { randomUUID } from 'node:crypto';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Policy } from '../config/policy.js';
import { planAction, type ActionRequest } from '../domain/actions/index.js';
import { openApproval, status, transition, type ApprovalEffect, type ApprovalStatus, type Verdict } from '../domain/approval.js';
import type { FixEvent } from '../domain/incident.js';
import { autoscalerWarning, bindingOf, migrationWarning } from '../domain/proposal.js';
import { MedicError } from '../errors.js';
import type { Clock, Clusters, DeploymentTarget, ProposalRecord, ProposalThread, SnapshotSource, Store } from '../ports.js';
import type { AccessService } from './access.js';
import type { Found } from './reading.js';
import { readRevisions } from './revisions.js';
import { auditEntries, paramsOf, saveTransition, type ProposalParams } from './proposal-record.js';
import { proposalView } from './proposal-view.js';
import type { ProposalView } from './views.js';

export interface ProposeInput {
  /** One deployment, or several of one namespace (a multi-service rollback), in the order given. */
  targets: DeploymentTarget[];
  request: ActionRequest;
  requestedBy: string;
  channel: string;
  threadTs?: string;
}

export type VoteResult = { ok: true; status: ApprovalStatus; proposal: ProposalView } | { ok: false; reason: string; status?: ApprovalStatus; proposal?: ProposalView };

/** Starts the execution of an approved proposal (services/execution.ts); claimed in the store first. */
export type ExecutionStarter = (proposalId: string) => void;

/** Proposals and votes, as commands and buttons reach them. */
export interface Approvals {
  propose(input: ProposeInput, found?: Found): Promise<ProposalView>;
  attachCard(proposalId: string, messageTs: string): Promise<void>;
  vote(proposalId: string, who: { userId: string; channelId: string }, verdict: Verdict): Promise<VoteResult>;
  /** The same change proposed again (after it expired or was voided), by `userId`. */
  repropose(proposalId: string, who: { userId: string; channelId: string }): Promise<ProposalView>;
}

/**
 * Proposals, votes and their audit trail. The state machine (domain/approval)
 * decides; the store's compare-and-set makes each decision once, across
 * processes; effects run only after the new state is saved.
 */
export class ApprovalService implements Approvals {
  constructor(
    private readonly deps: {
      store: Store;
      clusters: Clusters;
      snapshots: SnapshotSource;
      access: AccessService;
      thread: ProposalThread;
      clock: Clock;
      policy: Pick<Policy, 'approvals'>;
      execute: ExecutionStarter;
      /** An incident whose fix this is follows its progress (services/incidents.ts). */
      onFixEvent?: (event: FixEvent) => Promise<void>;
    },
  ) {}

  async propose(input: ProposeInput, found?: Found): Promise<ProposalView> {
    const { store, clock, policy } = this.deps;
    const now = clock.now();
    const plans = await Promise.all(input.targets.map((t, i) => this.planOne(t, input.request, i === 0 ? found : undefined)));
    const context = await Promise.all(input.targets.map((t, i) => this.contextWarning(t, input.request, plans[i]!.deployment)));
    const warnings = [...plans.flatMap((p) => p.warnings), ...context.filter((w): w is string => Boolean(w))];
    const namespace = input.targets[0]!.namespace;
    const opened = openApproval(
      { requester: input.requestedBy, required: policy.approvals.required, fourEyes: policy.approvals.protectedNamespaces.includes(namespace), ttlMinutes: policy.approvals.ttlMinutes },
      now,
    );
    const { votes: _votes, lifecycle: _lifecycle, ...facts } = opened.state;
    const id = randomUUID();
    const params: ProposalParams = { request: input.request, plans: plans.map((p) => p.plan), warnings };
    const record = await store.createProposal(
      {
        ...facts,
        id,
        channel: input.channel,
        ...(input.threadTs ? { threadTs: input.threadTs } : {}),
        cluster: input.targets[0]!.cluster,
        deployments: plans.map((p) => p.binding),
        action: input.request.kind,
        params: params as unknown as Record<string, unknown>,
      },
      auditEntries({ id, cluster: input.targets[0]!.cluster, namespace }, opened.effects),
    );
    return proposalView(record, now);
  }

  /** The card of a proposal was posted: its thread is where the rest goes. */
  async attachCard(proposalId: string, messageTs: string): Promise<void> {
    await this.deps.store.attachProposalMessage(proposalId, messageTs);
  }

  async repropose(proposalId: string, who: { userId: string; channelId: string }): Promise<ProposalView> {
    const record = await this.deps.store.getProposal(proposalId);
    if (!record || record.channel !== who.channelId) throw new MedicError('NOT_FOUND', `there is no proposal ${proposalId} in this channel`);
    const allowed = await this.deps.access.check(who.userId, 'operate');
    if (!allowed.ok) throw new MedicError('FORBIDDEN', `proposing a change: ${allowed.reason}`);
    const targets = record.deployments.map((d) => ({ cluster: record.cluster, namespace: d.namespace, name: d.name }));
    return this.propose({ targets, request: paramsOf(record).request, requestedBy: who.userId, channel: record.channel, ...(record.threadTs ? { threadTs: record.threadTs } : {}) });
  }

  /**
   * An Approve or Reject click. Refusals say why (for an ephemeral reply);
   * a lost compare-and-set reloads and decides again, so two clicks at once
   * are decided one after the other, by the database.
   */
  async vote(proposalId: string, who: { userId: string; channelId: string }, verdict: Verdict): Promise<VoteResult> {
    const { store, clock, access } = this.deps;
    for (let attempt = 0; attempt < 5; attempt++) {
      const record = await store.getProposal(proposalId);
      if (!record) return { ok: false, reason: `there is no proposal ${proposalId}` };
      if (record.channel !== who.channelId) return { ok: false, reason: 'this proposal belongs to another channel; vote where it was proposed' };
      const now = clock.now();
      const view = proposalView(record, now);
      const allowed = await access.check(who.userId, 'approve');
      if (!allowed.ok) return { ok: false, reason: `only approvers may vote on a proposal: ${allowed.reason}`, status: view.status, proposal: view };
      const t = transition(record, { kind: 'vote', userId: who.userId, verdict }, now);
      if (!t.accepted) return { ok: false, reason: t.reason, status: t.status, proposal: view };
      const saved = await saveTransition(store, record, t);
      if (!saved.won && saved.reason === 'duplicate-vote') return { ok: false, reason: 'you already voted on this proposal', status: t.status, proposal: view };
      if (!saved.won) continue;
      const after = saved.record;
      await this.runEffects(after, t.effects);
      return { ok: true, status: t.status, proposal: proposalView(after, now) };
    }
    throw new MedicError('CONFLICT', `proposal ${proposalId} kept changing while the vote was recorded; try again`);
  }

  /** Expired pending proposals, announced once (the compare-and-set decides who announces). */
  async expireDue(): Promise<void> {
    const { store, clock } = this.deps;
    for (const record of await store.listProposalsInStatus(['pending'])) {
      const now = clock.now();
      if (status(record, now) !== 'expired') continue;
      const t = transition(record, { kind: 'expire' }, now);
      if (!t.accepted) continue;
      const saved = await saveTransition(store, record, t);
      if (saved.won) await this.runEffects(saved.record, t.effects);
    }
  }

  /** Approved proposals whose execution was never claimed (the process died in between): start them. */
  async resumeApproved(): Promise<void> {
    for (const record of await this.deps.store.listProposalsInStatus(['approved'])) this.deps.execute(record.id);
  }

  /**
   * The card and the thread are told (queued in order, per channel; the
   * chat adapter logs what fails) and the execution starts before either
   * answers: Slack's pace is not in the way between an approval and its patch.
   */
  private async runEffects(record: ProposalRecord, effects: ApprovalEffect[]): Promise<void> {
    const { thread } = this.deps;
    const told: Array<Promise<unknown>> = [thread.refreshCard(record)];
    for (const e of effects) if (e.kind === 'post') told.push(thread.note(record, { kind: 'approval', notice: e.notice }));
    // The incident hears of the approval before the execution can report progress on it.
    for (const e of effects) {
      if (e.kind !== 'post') continue;
      const n = e.notice;
      if (n.kind === 'approved') await this.deps.onFixEvent?.({ kind: 'fix-approved', proposalId: record.id, by: n.approvers[0] ?? '' });
      if (n.kind === 'rejected' || n.kind === 'expired' || n.kind === 'superseded') await this.deps.onFixEvent?.({ kind: 'fix-abandoned', proposalId: record.id, cause: n.kind });
    }
    if (effects.some((e) => e.kind === 'execute')) this.deps.execute(record.id);
    // Not awaited: Slack takes about one message a second per channel, and a burst of approvals must not queue behind it.
    void Promise.all(told);
  }


  private async planOne(t: DeploymentTarget, request: ActionRequest, found?: Found) {
    const { deployment, replicaSets } = await readRevisions(this.deps.clusters.get(t.cluster), t, found);
    const outcome = planAction({ deployment, replicaSets, now: this.deps.clock.now() }, request);
    if (!outcome.ok) throw new MedicError(outcome.refusal.kind === 'missing' ? 'NOT_FOUND' : 'USAGE', `${t.namespace}/${t.name}: ${outcome.refusal.message}`);
    return { deployment, plan: outcome.plan, binding: bindingOf(deployment, outcome.plan, replicaSets), warnings: outcome.plan.warnings ?? [] };
  }

  /**
   * What the plan alone cannot know: before a rollback, whether the failing
   * revision's logs show a migration (seeds 000 and 003); before a scale,
   * whether an autoscaler owns the replica count (seed 004).
   */
  private async contextWarning(t: DeploymentTarget, request: ActionRequest, deployment: Deployment): Promise<string | undefined> {
    if (request.kind === 'rollback') return migrationWarning((await this.deps.snapshots.collect(t, { scope: 'diagnosis' })).logs);
    if (request.kind !== 'scale') return undefined;
    const hpas = await this.deps.clusters.get(t.cluster).listHorizontalPodAutoscalers(t.namespace).catch(() => []);
    return autoscalerWarning(deployment, hpas);
  }
}
