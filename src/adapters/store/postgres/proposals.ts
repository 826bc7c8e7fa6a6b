import type { ApprovalStatus } from '../../../domain/approval.js';
import { MedicError } from '../../../errors.js';
import type { DeploymentTarget, NewAuditEntry, NewProposal, ProposalChange, ProposalChangeResult, ProposalRecord } from '../../../ports.js';
import { json } from '../sqlite/codec.js';
import { lifecycleParams, toProposalRecord, type BindingRow, type ProposalRow, type VoteRow } from '../sqlite/proposals.js';
import { appendAudit } from './audit.js';
import type { PostgresConnection } from './connection.js';

/** Lost inside a transaction: thrown to roll it back, caught as a result. */
class Lost extends Error {
  constructor(readonly reason: 'duplicate-vote') {
    super(reason);
  }
}

const LIFECYCLE_COLUMNS = `superseded_at = @supersededAt, superseded_by = @supersededBy, superseded_cause = @supersededCause,
  superseded_detail = @supersededDetail, expiry_recorded_at = @expiryRecordedAt, started_at = @startedAt,
  finished_at = @finishedAt, outcome = @outcome, outcome_detail = @outcomeDetail`;

export class PostgresProposals {
  constructor(private readonly db: PostgresConnection) {}

  async create(p: NewProposal, audit: readonly NewAuditEntry[]): Promise<ProposalRecord> {
    await this.db.transaction(async (sql) => {
      const inserted = await sql.run(
        `INSERT INTO proposals (id, version, status, channel, thread_ts, cluster, action, params, requester, created_at, expires_at, required, four_eyes)
         VALUES (@id, 1, 'pending', @channel, @threadTs, @cluster, @action, @params, @requester, @createdAt, @expiresAt, @required, @fourEyes)
         ON CONFLICT (id) DO NOTHING`,
        {
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
        },
      );
      if (inserted === 0) throw new MedicError('CONFLICT', `a proposal with id ${p.id} already exists`);
      for (const [position, d] of p.deployments.entries()) {
        await sql.run(
          `INSERT INTO proposal_deployments (proposal_id, position, namespace, name, uid, generation, resource_version, target_revision, target_template_hash)
           VALUES (@id, @position, @namespace, @name, @uid, @generation, @resourceVersion, @targetRevision, @targetTemplateHash)`,
          {
            id: p.id,
            position,
            namespace: d.namespace,
            name: d.name,
            uid: d.uid,
            generation: d.generation,
            resourceVersion: d.resourceVersion,
            targetRevision: d.targetRevision ?? null,
            targetTemplateHash: d.targetTemplateHash ?? null,
          },
        );
      }
      await appendAudit(sql, audit);
    });
    return (await this.get(p.id))!;
  }

  async attachMessage(id: string, messageTs: string): Promise<boolean> {
    return (await this.db.run('UPDATE proposals SET message_ts = @messageTs WHERE id = @id AND message_ts IS NULL', { id, messageTs })) === 1;
  }

  async get(id: string): Promise<ProposalRecord | undefined> {
    return (await this.records(await this.db.rows<ProposalRow>('SELECT * FROM proposals WHERE id = @id', { id })))[0];
  }

  async listByDeployment(ref: DeploymentTarget): Promise<ProposalRecord[]> {
    const rows = await this.db.rows<ProposalRow>(
      `SELECT * FROM proposals WHERE cluster = @cluster
         AND id IN (SELECT proposal_id FROM proposal_deployments WHERE namespace = @namespace AND name = @name)
       ORDER BY created_at DESC, id COLLATE "C"`,
      { cluster: ref.cluster, namespace: ref.namespace, name: ref.name },
    );
    return this.records(rows);
  }

  async listInStatus(statuses: readonly ApprovalStatus[]): Promise<ProposalRecord[]> {
    if (statuses.length === 0) return [];
    return this.records(await this.db.rows<ProposalRow>('SELECT * FROM proposals WHERE status = ANY(@statuses) ORDER BY created_at, id COLLATE "C"', { statuses }));
  }

  async transition(id: string, fromVersion: number, change: ProposalChange): Promise<ProposalChangeResult> {
    try {
      return await this.db.transaction(async (sql): Promise<ProposalChangeResult> => {
        // The compare-and-set: a concurrent writer waits for this row, then finds the version moved on.
        const updated = await sql.run(`UPDATE proposals SET version = version + 1, status = @status, ${LIFECYCLE_COLUMNS} WHERE id = @id AND version = @fromVersion`, {
          id,
          fromVersion,
          status: change.recordedStatus,
          ...lifecycleParams(change.lifecycle),
        });
        if (updated === 0) return { won: false, reason: 'stale' };
        const v = change.vote;
        if (v) {
          const voted = await sql.run('INSERT INTO votes (proposal_id, user_id, verdict, at) VALUES (@id, @userId, @verdict, @at) ON CONFLICT (proposal_id, user_id) DO NOTHING', {
            id,
            userId: v.userId,
            verdict: v.verdict,
            at: v.at.getTime(),
          });
          if (voted === 0) throw new Lost('duplicate-vote');
        }
        await appendAudit(sql, change.audit);
        return { won: true, version: fromVersion + 1 };
      });
    } catch (e) {
      if (e instanceof Lost) return { won: false, reason: e.reason };
      throw e;
    }
  }

  /** The rows with their bindings and votes, read in two queries for all of them. */
  private async records(rows: ProposalRow[]): Promise<ProposalRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [bindings, votes] = await Promise.all([
      this.db.rows<BindingRow & { proposal_id: string }>('SELECT * FROM proposal_deployments WHERE proposal_id = ANY(@ids) ORDER BY proposal_id, position', { ids }),
      this.db.rows<VoteRow & { proposal_id: string }>('SELECT * FROM votes WHERE proposal_id = ANY(@ids) ORDER BY at, user_id COLLATE "C"', { ids }),
    ]);
    return rows.map((r) =>
      toProposalRecord(
        r,
        bindings.filter((b) => b.proposal_id === r.id),
        votes.filter((v) => v.proposal_id === r.id),
      ),
    );
  }
}
