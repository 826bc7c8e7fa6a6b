import type Database from 'better-sqlite3';
import type { Lease, NewOutboxMessage, OutboxDestination, OutboxMessage, OutboxStatus } from '../../../ports.js';
import { compact, fromMs, json } from './codec.js';
import { leaseParams } from './inbox.js';

type LeaseParams = ReturnType<typeof leaseParams>;

export interface OutboxRow {
  id: number;
  incident_id: string;
  destination: string;
  kind: string;
  payload: string;
  created_at: number;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  claimed_by: string | null;
  lease_until: number | null;
  finished_at: number | null;
}

/**
 * Deliverable: pending, due, not leased (or its claimer's lease ran out), and the head of its stream,
 * i.e. no earlier pending message of the same incident and destination. A failed message is no longer
 * pending, so it stops blocking; a message waiting to be retried still blocks, which keeps the order.
 */
const DELIVERABLE = (t: string) => `${t}.status = 'pending' AND ${t}.next_attempt_at <= @now AND (${t}.lease_until IS NULL OR ${t}.lease_until <= @now)
  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.incident_id = ${t}.incident_id AND e.destination = ${t}.destination AND e.status = 'pending' AND e.id < ${t}.id)`;
/** Held: claimed by `holder` and not yet released by a result. */
const HELD = "id = @id AND claimed_by = @holder AND lease_until IS NOT NULL AND status = 'pending'";

export class SqliteOutbox {
  private readonly insert;
  private readonly claimStmt;
  private readonly deliveredStmt;
  private readonly retryStmt;
  private readonly failStmt;
  private readonly byIncident;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO outbox (incident_id, destination, kind, payload, created_at, next_attempt_at)
       VALUES (@incidentId, @destination, @kind, @payload, @createdAt, @createdAt)`,
    );
    // The outer condition repeats DELIVERABLE so that concurrent claimers re-check it on the locked row (PostgreSQL).
    this.claimStmt = db.prepare<LeaseParams & { limit: number; destination: string | null }, OutboxRow>(
      `UPDATE outbox SET claimed_by = @holder, lease_until = @until, attempts = attempts + 1
       WHERE ${DELIVERABLE('outbox')} AND id IN (
         SELECT o.id FROM outbox o WHERE ${DELIVERABLE('o')} AND (@destination IS NULL OR o.destination = @destination) ORDER BY o.id LIMIT @limit
       ) RETURNING *`,
    );
    this.deliveredStmt = db.prepare(`UPDATE outbox SET status = 'delivered', finished_at = @at, lease_until = NULL WHERE ${HELD}`);
    this.retryStmt = db.prepare(`UPDATE outbox SET lease_until = NULL, next_attempt_at = @next, last_error = @error WHERE ${HELD}`);
    this.failStmt = db.prepare(`UPDATE outbox SET status = 'failed', finished_at = @at, lease_until = NULL, last_error = @error WHERE ${HELD}`);
    this.byIncident = db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE incident_id = ? ORDER BY id');
  }

  /** Runs inside the caller's transaction. */
  enqueue(incidentId: string, messages: readonly NewOutboxMessage[]): void {
    for (const m of messages) this.insert.run({ incidentId, destination: m.destination, kind: m.kind, payload: json(m.payload), createdAt: m.createdAt.getTime() });
  }

  claim(lease: Lease, limit: number, destination?: OutboxDestination): OutboxMessage[] {
    return this.claimStmt
      .all({ limit, destination: destination ?? null, ...leaseParams(lease) })
      .map(toMessage)
      .sort((a, b) => a.id - b.id);
  }

  delivered(id: number, holder: string, at: Date): boolean {
    return this.deliveredStmt.run({ id, holder, at: at.getTime() }).changes === 1;
  }

  retry(id: number, holder: string, f: { error: string; nextAttemptAt: Date }): boolean {
    return this.retryStmt.run({ id, holder, error: f.error, next: f.nextAttemptAt.getTime() }).changes === 1;
  }

  fail(id: number, holder: string, f: { at: Date; error: string }): boolean {
    return this.failStmt.run({ id, holder, error: f.error, at: f.at.getTime() }).changes === 1;
  }

  list(incidentId: string): OutboxMessage[] {
    return this.byIncident.all(incidentId).map(toMessage);
  }
}

export function toMessage(r: OutboxRow): OutboxMessage {
  return compact({
    id: r.id,
    incidentId: r.incident_id,
    destination: r.destination as OutboxDestination,
    kind: r.kind,
    payload: JSON.parse(r.payload) as unknown,
    createdAt: fromMs(r.created_at),
    status: r.status as OutboxStatus,
    attempts: r.attempts,
    nextAttemptAt: fromMs(r.next_attempt_at),
    lastError: r.last_error ?? undefined,
    claimedBy: r.claimed_by ?? undefined,
    leaseUntil: r.lease_until === null ? undefined : fromMs(r.lease_until),
    finishedAt: r.finished_at === null ? undefined : fromMs(r.finished_at),
  });
}
