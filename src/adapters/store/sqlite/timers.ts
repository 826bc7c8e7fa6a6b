import type Database from 'better-sqlite3';
import type { TimerKind } from '../../../domain/incident.js';
import type { Lease, NewTimer, TimerRecord } from '../../../ports.js';
import { compact, fromMs } from './codec.js';
import { leaseParams } from './inbox.js';

type LeaseParams = ReturnType<typeof leaseParams>;

export interface TimerRow {
  id: number;
  incident_id: string;
  kind: string;
  due_at: number;
  attempts: number;
  claimed_by: string | null;
  lease_until: number | null;
  fired_at: number | null;
}

/** Claimable: due, not fired, and never leased or its claimer's lease ran out (a crashed replica). */
const CLAIMABLE = 'fired_at IS NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until <= @now)';

/** Timers are rows, so they survive restarts; a claim is a conditional update, so one replica fires each. */
export class SqliteTimers {
  private readonly insert;
  private readonly claimDueStmt;
  private readonly fireStmt;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO incident_timers (incident_id, kind, due_at) VALUES (@incidentId, @kind, @dueAt) ON CONFLICT (incident_id, kind, due_at) DO NOTHING',
    );
    // CLAIMABLE is repeated outside the subquery so that concurrent claimers re-check it on the locked row (PostgreSQL).
    this.claimDueStmt = db.prepare<LeaseParams & { limit: number }, TimerRow>(
      `UPDATE incident_timers SET claimed_by = @holder, lease_until = @until, attempts = attempts + 1
       WHERE ${CLAIMABLE} AND id IN (SELECT id FROM incident_timers WHERE ${CLAIMABLE} ORDER BY due_at, id LIMIT @limit) RETURNING *`,
    );
    this.fireStmt = db.prepare('UPDATE incident_timers SET fired_at = @at WHERE id = @id AND claimed_by = @holder AND fired_at IS NULL');
  }

  /** Runs inside the caller's transaction. */
  schedule(incidentId: string, timers: readonly NewTimer[]): void {
    for (const t of timers) this.insert.run({ incidentId, kind: t.kind, dueAt: t.dueAt.getTime() });
  }

  claimDue(lease: Lease, limit: number): TimerRecord[] {
    return this.claimDueStmt
      .all({ limit, ...leaseParams(lease) })
      .map(toRecord)
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
  }

  fire(id: number, holder: string, at: Date): boolean {
    return this.fireStmt.run({ id, holder, at: at.getTime() }).changes === 1;
  }
}

export function toRecord(r: TimerRow): TimerRecord {
  return compact({
    id: r.id,
    incidentId: r.incident_id,
    kind: r.kind as TimerKind,
    dueAt: fromMs(r.due_at),
    attempts: r.attempts,
    claimedBy: r.claimed_by ?? undefined,
    leaseUntil: r.lease_until === null ? undefined : fromMs(r.lease_until),
    firedAt: r.fired_at === null ? undefined : fromMs(r.fired_at),
  });
}
