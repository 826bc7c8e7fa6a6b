import { MedicError } from '../../../errors.js';
import type { DeploymentExecution, DeploymentRef, ExecutionRecord, Lease } from '../../../ports.js';
import { json } from '../sqlite/codec.js';
import { toExecutionRecord, type DeploymentRow, type ExecutionRow } from '../sqlite/executions.js';
import { leaseParams } from '../sqlite/inbox.js';
import type { Sql } from './connection.js';

/** An execution is unfinished while its proposal is: the proposal's lifecycle is the one record of the outcome. */
const UNFINISHED = "EXISTS (SELECT 1 FROM proposals p WHERE p.id = executions.proposal_id AND p.status IN ('approved', 'executing'))";
/** Per-deployment writes go through only for the current holder: a holder that lost its lease is fenced off. */
const HELD = 'WHERE EXISTS (SELECT 1 FROM executions WHERE proposal_id = @id AND holder = @holder)';

export class PostgresExecutions {
  constructor(private readonly sql: Sql) {}

  /** The primary key makes it one claim: a concurrent claimer waits for the first insert, then inserts nothing. */
  async claim(proposalId: string, lease: Lease): Promise<boolean> {
    const claimed = await this.sql.run(
      `INSERT INTO executions (proposal_id, holder, claimed_at, lease_until) SELECT CAST(@id AS TEXT), CAST(@holder AS TEXT), CAST(@now AS BIGINT), CAST(@until AS BIGINT)
       WHERE EXISTS (SELECT 1 FROM proposals WHERE id = @id AND status = 'approved') ON CONFLICT (proposal_id) DO NOTHING`,
      { id: proposalId, ...leaseParams(lease) },
    );
    if (claimed === 1) return true;
    if (!(await this.sql.row('SELECT id FROM proposals WHERE id = @id', { id: proposalId }))) throw new MedicError('NOT_FOUND', `no proposal ${proposalId} to execute`);
    return false;
  }

  async lease(proposalId: string, lease: Lease): Promise<boolean> {
    const sql = `UPDATE executions SET holder = @holder, lease_until = @until WHERE proposal_id = @id AND (holder = @holder OR lease_until <= @now) AND ${UNFINISHED}`;
    return (await this.sql.run(sql, { id: proposalId, ...leaseParams(lease) })) === 1;
  }

  recordResult(proposalId: string, holder: string, ref: DeploymentRef, result: NonNullable<DeploymentExecution['result']>): Promise<boolean> {
    return this.write('result', { id: proposalId, holder, ...ref, state: result.outcome, detail: json(result.detail), at: result.at.getTime() });
  }

  saveVerification(proposalId: string, holder: string, ref: DeploymentRef, v: NonNullable<DeploymentExecution['verification']>): Promise<boolean> {
    return this.write('verification', { id: proposalId, holder, ...ref, state: v.state, detail: json(v.detail), at: v.at.getTime() });
  }

  private async write(column: 'result' | 'verification', params: Record<string, unknown>): Promise<boolean> {
    const written = await this.sql.run(
      `INSERT INTO execution_deployments (proposal_id, namespace, name, ${column}, ${column}_detail, ${column}_at)
       SELECT CAST(@id AS TEXT), CAST(@namespace AS TEXT), CAST(@name AS TEXT), CAST(@state AS TEXT), CAST(@detail AS TEXT), CAST(@at AS BIGINT) ${HELD}
       ON CONFLICT (proposal_id, namespace, name) DO UPDATE SET ${column} = excluded.${column}, ${column}_detail = excluded.${column}_detail, ${column}_at = excluded.${column}_at`,
      params,
    );
    return written === 1;
  }

  async get(proposalId: string): Promise<ExecutionRecord | undefined> {
    return (await this.records(await this.sql.rows<ExecutionRow>('SELECT * FROM executions WHERE proposal_id = @id', { id: proposalId })))[0];
  }

  async listUnfinished(): Promise<ExecutionRecord[]> {
    return this.records(await this.sql.rows<ExecutionRow>(`SELECT * FROM executions WHERE ${UNFINISHED} ORDER BY claimed_at, proposal_id COLLATE "C"`));
  }

  private async records(rows: ExecutionRow[]): Promise<ExecutionRecord[]> {
    if (rows.length === 0) return [];
    const deployments = await this.sql.rows<DeploymentRow & { proposal_id: string }>(
      'SELECT * FROM execution_deployments WHERE proposal_id = ANY(@ids) ORDER BY namespace COLLATE "C", name COLLATE "C"',
      { ids: rows.map((r) => r.proposal_id) },
    );
    return rows.map((r) => toExecutionRecord(r, deployments.filter((d) => d.proposal_id === r.proposal_id)));
  }
}
