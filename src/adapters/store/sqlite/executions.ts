import type Database from 'better-sqlite3';
import { MedicError } from '../../../errors.js';
import type { DeploymentExecution, DeploymentOutcome, DeploymentRef, ExecutionRecord, Lease, VerificationState } from '../../../ports.js';
import { compact, fromMs, json } from './codec.js';
import { leaseParams } from './inbox.js';

export interface ExecutionRow {
  proposal_id: string;
  holder: string;
  claimed_at: number;
  lease_until: number;
}

export interface DeploymentRow {
  namespace: string;
  name: string;
  result: string | null;
  result_detail: string | null;
  result_at: number | null;
  verification: string | null;
  verification_detail: string | null;
  verification_at: number | null;
}

/** An execution is unfinished while its proposal is: the proposal's lifecycle is the one record of the outcome. */
const UNFINISHED = "EXISTS (SELECT 1 FROM proposals p WHERE p.id = executions.proposal_id AND p.status IN ('approved', 'executing'))";
/** Per-deployment writes go through only for the current holder: a holder that lost its lease is fenced off. */
const HELD = 'WHERE EXISTS (SELECT 1 FROM executions WHERE proposal_id = @id AND holder = @holder)';

export class SqliteExecutions {
  private readonly claimStmt;
  private readonly proposalExists;
  private readonly leaseStmt;
  private readonly resultStmt;
  private readonly verificationStmt;
  private readonly byId;
  private readonly unfinished;
  private readonly deployments;

  constructor(db: Database.Database) {
    this.claimStmt = db.prepare(
      `INSERT INTO executions (proposal_id, holder, claimed_at, lease_until) SELECT @id, @holder, @now, @until
       WHERE EXISTS (SELECT 1 FROM proposals WHERE id = @id AND status = 'approved') ON CONFLICT (proposal_id) DO NOTHING`,
    );
    this.proposalExists = db.prepare<[string], { id: string }>('SELECT id FROM proposals WHERE id = ?');
    this.leaseStmt = db.prepare(`UPDATE executions SET holder = @holder, lease_until = @until WHERE proposal_id = @id AND (holder = @holder OR lease_until <= @now) AND ${UNFINISHED}`);
    this.resultStmt = db.prepare(
      `INSERT INTO execution_deployments (proposal_id, namespace, name, result, result_detail, result_at) SELECT @id, @namespace, @name, @state, @detail, @at ${HELD}
       ON CONFLICT (proposal_id, namespace, name) DO UPDATE SET result = excluded.result, result_detail = excluded.result_detail, result_at = excluded.result_at`,
    );
    this.verificationStmt = db.prepare(
      `INSERT INTO execution_deployments (proposal_id, namespace, name, verification, verification_detail, verification_at) SELECT @id, @namespace, @name, @state, @detail, @at ${HELD}
       ON CONFLICT (proposal_id, namespace, name) DO UPDATE SET verification = excluded.verification, verification_detail = excluded.verification_detail, verification_at = excluded.verification_at`,
    );
    this.byId = db.prepare<[string], ExecutionRow>('SELECT * FROM executions WHERE proposal_id = ?');
    this.unfinished = db.prepare<[], ExecutionRow>(`SELECT * FROM executions WHERE ${UNFINISHED} ORDER BY claimed_at, proposal_id`);
    this.deployments = db.prepare<[string], DeploymentRow>('SELECT * FROM execution_deployments WHERE proposal_id = ? ORDER BY namespace, name');
  }

  claim(proposalId: string, lease: Lease): boolean {
    if (this.claimStmt.run({ id: proposalId, ...leaseParams(lease) }).changes === 1) return true;
    if (!this.proposalExists.get(proposalId)) throw new MedicError('NOT_FOUND', `no proposal ${proposalId} to execute`);
    return false;
  }

  lease(proposalId: string, lease: Lease): boolean {
    return this.leaseStmt.run({ id: proposalId, ...leaseParams(lease) }).changes === 1;
  }

  recordResult(proposalId: string, holder: string, ref: DeploymentRef, result: NonNullable<DeploymentExecution['result']>): boolean {
    return this.resultStmt.run({ id: proposalId, holder, ...ref, state: result.outcome, detail: json(result.detail), at: result.at.getTime() }).changes === 1;
  }

  saveVerification(proposalId: string, holder: string, ref: DeploymentRef, v: NonNullable<DeploymentExecution['verification']>): boolean {
    return this.verificationStmt.run({ id: proposalId, holder, ...ref, state: v.state, detail: json(v.detail), at: v.at.getTime() }).changes === 1;
  }

  get(proposalId: string): ExecutionRecord | undefined {
    const row = this.byId.get(proposalId);
    return row && this.toRecord(row);
  }

  listUnfinished(): ExecutionRecord[] {
    return this.unfinished.all().map((r) => this.toRecord(r));
  }

  private toRecord(r: ExecutionRow): ExecutionRecord {
    return toExecutionRecord(r, this.deployments.all(r.proposal_id));
  }
}

export function toExecutionRecord(r: ExecutionRow, deployments: readonly DeploymentRow[]): ExecutionRecord {
  return {
    proposalId: r.proposal_id,
    holder: r.holder,
    claimedAt: fromMs(r.claimed_at),
    leaseUntil: fromMs(r.lease_until),
    deployments: deployments.map(
      (d): DeploymentExecution =>
        compact({
          namespace: d.namespace,
          name: d.name,
          result:
            d.result === null || d.result_at === null
              ? undefined
              : { outcome: d.result as DeploymentOutcome, detail: JSON.parse(d.result_detail ?? '{}') as Record<string, unknown>, at: fromMs(d.result_at) },
          verification:
            d.verification === null || d.verification_at === null
              ? undefined
              : { state: d.verification as VerificationState, detail: JSON.parse(d.verification_detail ?? '{}') as Record<string, unknown>, at: fromMs(d.verification_at) },
        }),
    ),
  };
}
