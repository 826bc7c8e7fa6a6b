import type Database from 'better-sqlite3';
import type { ApprovalLifecycle, ApprovalStatus, ExecutionOutcome, SupersedeCause, Verdict, Vote } from '../../../domain/approval.js';
import { MedicError } from '../../../errors.js';
import type { DeploymentBinding, DeploymentTarget, NewAuditEntry, NewProposal, ProposalChange, ProposalChangeResult, ProposalRecord } from '../../../ports.js';
import type { SqliteAudit } from './audit.js';
import { compact, fromMs, json, toMs } from './codec.js';

export interface ProposalRow {
  id: string;
  version: number;
  status: string;
  channel: string;
  thread_ts: string | null;
  message_ts: string | null;
  cluster: string;
  action: string;
  params: string;
  requester: string;
  created_at: number;
  expires_at: number;
  required: number;
  four_eyes: number;
  superseded_at: number | null;
  superseded_by: string | null;
  superseded_cause: string | null;
  superseded_detail: string | null;
  expiry_recorded_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  outcome: string | null;
  outcome_detail: string | null;
}

export interface BindingRow {
  namespace: string;
  name: string;
  uid: string;
  generation: number;
  resource_version: string;
  target_revision: number | null;
  target_template_hash: string | null;
}

/** Lost inside a transaction: thrown to roll it back, caught as a result. */
class Lost extends Error {
  constructor(readonly reason: 'duplicate-vote') {
    super(reason);
  }
}

const LIFECYCLE_COLUMNS = `superseded_at = @supersededAt, superseded_by = @supersededBy, superseded_cause = @supersededCause,
  superseded_detail = @supersededDetail, expiry_recorded_at = @expiryRecordedAt, started_at = @startedAt,
  finished_at = @finishedAt, outcome = @outcome, outcome_detail = @outcomeDetail`;

export class SqliteProposals {
  private readonly insert;
  private readonly insertBinding;
  private readonly insertVote;
  private readonly update;
  private readonly attach;
  private readonly byId;
  private readonly byDeployment;
  private readonly bindings;
  private readonly votes;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: SqliteAudit,
  ) {
    this.insert = db.prepare(
      `INSERT INTO proposals (id, version, status, channel, thread_ts, cluster, action, params, requester, created_at, expires_at, required, four_eyes)
       VALUES (@id, 1, 'pending', @channel, @threadTs, @cluster, @action, @params, @requester, @createdAt, @expiresAt, @required, @fourEyes)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.insertBinding = db.prepare(
      `INSERT INTO proposal_deployments (proposal_id, position, namespace, name, uid, generation, resource_version, target_revision, target_template_hash)
       VALUES (@id, @position, @namespace, @name, @uid, @generation, @resourceVersion, @targetRevision, @targetTemplateHash)`,
    );
    this.insertVote = db.prepare('INSERT INTO votes (proposal_id, user_id, verdict, at) VALUES (@id, @userId, @verdict, @at) ON CONFLICT (proposal_id, user_id) DO NOTHING');
    // The compare-and-set: only the writer that read `version` gets to move it on.
    this.update = db.prepare(`UPDATE proposals SET version = version + 1, status = @status, ${LIFECYCLE_COLUMNS} WHERE id = @id AND version = @fromVersion`);
    this.attach = db.prepare('UPDATE proposals SET message_ts = @messageTs WHERE id = @id AND message_ts IS NULL');
    this.byId = db.prepare<[string], ProposalRow>('SELECT * FROM proposals WHERE id = ?');
    this.byDeployment = db.prepare<DeploymentTarget, ProposalRow>(
      `SELECT * FROM proposals WHERE cluster = @cluster
         AND id IN (SELECT proposal_id FROM proposal_deployments WHERE namespace = @namespace AND name = @name)
       ORDER BY created_at DESC, id`,
    );
    this.bindings = db.prepare<[string], BindingRow>('SELECT * FROM proposal_deployments WHERE proposal_id = ? ORDER BY position');
    this.votes = db.prepare<[string], VoteRow>('SELECT * FROM votes WHERE proposal_id = ? ORDER BY at, user_id');
  }

  create(p: NewProposal, audit: readonly NewAuditEntry[]): ProposalRecord {
    this.db.transaction(() => {
      const inserted = this.insert.run({
        id: p.id,
        channel: p.channel,
        threadTs: p.threadTs ?? null,
        cluster: p.cluster,
        action: p.action,
        params: json(p.params),
        requester: p.requester,
        createdAt: p.createdAt.getTime(),
        expiresAt: p.expiresAt.getTime(),
        required: p.required,
        fourEyes: p.fourEyes ? 1 : 0,
      });
      if (inserted.changes === 0) throw new MedicError('CONFLICT', `a proposal with id ${p.id} already exists`);
      p.deployments.forEach((d, position) =>
        this.insertBinding.run({
          id: p.id,
          position,
          namespace: d.namespace,
          name: d.name,
          uid: d.uid,
          generation: d.generation,
          resourceVersion: d.resourceVersion,
          targetRevision: d.targetRevision ?? null,
          targetTemplateHash: d.targetTemplateHash ?? null,
        }),
      );
      this.audit.append(audit);
    }).immediate();
    return this.get(p.id) as ProposalRecord;
  }

  attachMessage(id: string, messageTs: string): boolean {
    return this.attach.run({ id, messageTs }).changes === 1;
  }

  get(id: string): ProposalRecord | undefined {
    const row = this.byId.get(id);
    return row && this.toRecord(row);
  }

  listByDeployment(ref: DeploymentTarget): ProposalRecord[] {
    return this.byDeployment.all({ cluster: ref.cluster, namespace: ref.namespace, name: ref.name }).map((r) => this.toRecord(r));
  }

  listInStatus(statuses: readonly ApprovalStatus[]): ProposalRecord[] {
    if (statuses.length === 0) return [];
    const marks = statuses.map(() => '?').join(', ');
    const rows = this.db.prepare<string[], ProposalRow>(`SELECT * FROM proposals WHERE status IN (${marks}) ORDER BY created_at, id`).all(...statuses);
    return rows.map((r) => this.toRecord(r));
  }

  transition(id: string, fromVersion: number, change: ProposalChange): ProposalChangeResult {
    try {
      return this.db.transaction((): ProposalChangeResult => {
        if (this.update.run({ id, fromVersion, status: change.recordedStatus, ...lifecycleParams(change.lifecycle) }).changes === 0) return { won: false, reason: 'stale' };
        const v = change.vote;
        if (v && this.insertVote.run({ id, userId: v.userId, verdict: v.verdict, at: v.at.getTime() }).changes === 0) throw new Lost('duplicate-vote');
        this.audit.append(change.audit);
        return { won: true, version: fromVersion + 1 };
      }).immediate();
    } catch (e) {
      if (e instanceof Lost) return { won: false, reason: e.reason };
      throw e;
    }
  }

  private toRecord(r: ProposalRow): ProposalRecord {
    return toProposalRecord(r, this.bindings.all(r.id), this.votes.all(r.id));
  }
}

export interface VoteRow {
  user_id: string;
  verdict: string;
  at: number;
}

/** A proposal row with its bindings (in position order) and votes (in time order). */
export function toProposalRecord(r: ProposalRow, bindings: readonly BindingRow[], votes: readonly VoteRow[]): ProposalRecord {
  return compact({
    id: r.id,
    version: r.version,
    recordedStatus: r.status as ApprovalStatus,
    channel: r.channel,
    threadTs: r.thread_ts ?? undefined,
    messageTs: r.message_ts ?? undefined,
    cluster: r.cluster,
    deployments: bindings.map(
      (b): DeploymentBinding =>
        compact({
          namespace: b.namespace,
          name: b.name,
          uid: b.uid,
          generation: b.generation,
          resourceVersion: b.resource_version,
          targetRevision: b.target_revision ?? undefined,
          targetTemplateHash: b.target_template_hash ?? undefined,
        }),
    ),
    action: r.action,
    params: JSON.parse(r.params) as Record<string, unknown>,
    requester: r.requester,
    createdAt: fromMs(r.created_at),
    expiresAt: fromMs(r.expires_at),
    required: r.required,
    fourEyes: r.four_eyes === 1,
    votes: votes.map((v): Vote => ({ userId: v.user_id, verdict: v.verdict as Verdict, at: fromMs(v.at) })),
    lifecycle: lifecycleOf(r),
  });
}

export function lifecycleParams(l: ApprovalLifecycle) {
  return {
    supersededAt: toMs(l.superseded?.at),
    supersededBy: l.superseded?.actor ?? null,
    supersededCause: l.superseded?.cause ?? null,
    supersededDetail: l.superseded?.detail ?? null,
    expiryRecordedAt: toMs(l.expiryRecordedAt),
    startedAt: toMs(l.execution?.startedAt),
    finishedAt: toMs(l.execution?.finished?.at),
    outcome: l.execution?.finished?.outcome ?? null,
    outcomeDetail: l.execution?.finished?.detail ?? null,
  };
}

function lifecycleOf(r: ProposalRow): ApprovalLifecycle {
  const finished =
    r.finished_at === null ? undefined : { at: fromMs(r.finished_at), outcome: r.outcome as ExecutionOutcome, detail: r.outcome_detail ?? '' };
  return compact({
    superseded:
      r.superseded_at === null
        ? undefined
        : { at: fromMs(r.superseded_at), actor: r.superseded_by ?? '', cause: r.superseded_cause as SupersedeCause, detail: r.superseded_detail ?? '' },
    expiryRecordedAt: r.expiry_recorded_at === null ? undefined : fromMs(r.expiry_recorded_at),
    execution: r.started_at === null ? undefined : compact({ startedAt: fromMs(r.started_at), finished }),
  });
}
