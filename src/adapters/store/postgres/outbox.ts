import type { Lease, NewOutboxMessage, OutboxDestination, OutboxMessage } from '../../../ports.js';
import { json } from '../sqlite/codec.js';
import { leaseParams } from '../sqlite/inbox.js';
import { toMessage, type OutboxRow } from '../sqlite/outbox.js';
import type { Sql } from './connection.js';

/**
 * Deliverable: pending, due, not leased (or its claimer's lease ran out), and the head of its
 * stream (no earlier pending message of its incident and destination). A message leaves
 * "pending" only once, so a claimer whose snapshot is a little old only ever claims less.
 */
const DELIVERABLE = `o.status = 'pending' AND o.next_attempt_at <= @now AND (o.lease_until IS NULL OR o.lease_until <= @now)
  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.incident_id = o.incident_id AND e.destination = o.destination AND e.status = 'pending' AND e.id < o.id)`;
/** Held: claimed by `holder` and not yet released by a result. */
const HELD = "id = @id AND claimed_by = @holder AND lease_until IS NOT NULL AND status = 'pending'";

/** Within the caller's transaction. */
export async function enqueueOutbox(sql: Sql, incidentId: string, messages: readonly NewOutboxMessage[]): Promise<void> {
  for (const m of messages) {
    await sql.run(
      `INSERT INTO outbox (incident_id, destination, kind, payload, created_at, next_attempt_at)
       VALUES (@incidentId, @destination, @kind, @payload, @createdAt, @createdAt)`,
      { incidentId, destination: m.destination, kind: m.kind, payload: json(m.payload), createdAt: m.createdAt.getTime() },
    );
  }
}

export class PostgresOutbox {
  constructor(private readonly sql: Sql) {}

  /** Two replicas never claim one message: the rows a claim picks are locked, and another claim skips them. */
  async claim(lease: Lease, limit: number, destination?: OutboxDestination): Promise<OutboxMessage[]> {
    const rows = await this.sql.rows<OutboxRow>(
      `WITH picked AS (
         SELECT o.id FROM outbox o WHERE ${DELIVERABLE} AND (CAST(@destination AS TEXT) IS NULL OR o.destination = @destination)
         ORDER BY o.id LIMIT @limit FOR UPDATE OF o SKIP LOCKED
       )
       UPDATE outbox SET claimed_by = @holder, lease_until = @until, attempts = outbox.attempts + 1 FROM picked WHERE outbox.id = picked.id RETURNING outbox.*`,
      { limit, destination: destination ?? null, ...leaseParams(lease) },
    );
    return rows.map(toMessage).sort((a, b) => a.id - b.id);
  }

  async delivered(id: number, holder: string, at: Date): Promise<boolean> {
    return (await this.sql.run(`UPDATE outbox SET status = 'delivered', finished_at = @at, lease_until = NULL WHERE ${HELD}`, { id, holder, at: at.getTime() })) === 1;
  }

  async retry(id: number, holder: string, f: { error: string; nextAttemptAt: Date }): Promise<boolean> {
    return (await this.sql.run(`UPDATE outbox SET lease_until = NULL, next_attempt_at = @next, last_error = @error WHERE ${HELD}`, { id, holder, error: f.error, next: f.nextAttemptAt.getTime() })) === 1;
  }

  async fail(id: number, holder: string, f: { at: Date; error: string }): Promise<boolean> {
    const sql = `UPDATE outbox SET status = 'failed', finished_at = @at, lease_until = NULL, last_error = @error WHERE ${HELD}`;
    return (await this.sql.run(sql, { id, holder, error: f.error, at: f.at.getTime() })) === 1;
  }

  async list(incidentId: string): Promise<OutboxMessage[]> {
    return (await this.sql.rows<OutboxRow>('SELECT * FROM outbox WHERE incident_id = @incidentId ORDER BY id', { incidentId })).map(toMessage);
  }
}
