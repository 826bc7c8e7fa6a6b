import type { Lease, NewTimer, TimerRecord } from '../../../ports.js';
import { leaseParams } from '../sqlite/inbox.js';
import { toRecord, type TimerRow } from '../sqlite/timers.js';
import type { Sql } from './connection.js';

/** Claimable: due, not fired, and never leased or its claimer's lease ran out (a crashed replica). */
const CLAIMABLE = 'fired_at IS NULL AND due_at <= @now AND (lease_until IS NULL OR lease_until <= @now)';

/** Within the caller's transaction: a timer already scheduled (same incident, kind and due time) is not scheduled twice. */
export async function scheduleTimers(sql: Sql, incidentId: string, timers: readonly NewTimer[]): Promise<void> {
  for (const t of timers) {
    await sql.run('INSERT INTO incident_timers (incident_id, kind, due_at) VALUES (@incidentId, @kind, @dueAt) ON CONFLICT (incident_id, kind, due_at) DO NOTHING', {
      incidentId,
      kind: t.kind,
      dueAt: t.dueAt.getTime(),
    });
  }
}

/** Each due timer goes to one replica: a claim locks its rows and skips those another is claiming. */
export async function claimDueTimers(sql: Sql, lease: Lease, limit: number): Promise<TimerRecord[]> {
  const rows = await sql.rows<TimerRow>(
    `WITH picked AS (SELECT id FROM incident_timers WHERE ${CLAIMABLE} ORDER BY due_at, id LIMIT @limit FOR UPDATE SKIP LOCKED)
     UPDATE incident_timers SET claimed_by = @holder, lease_until = @until, attempts = incident_timers.attempts + 1 FROM picked WHERE incident_timers.id = picked.id RETURNING incident_timers.*`,
    { limit, ...leaseParams(lease) },
  );
  return rows.map(toRecord).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id - b.id);
}

export async function fireTimer(sql: Sql, id: number, holder: string, at: Date): Promise<boolean> {
  return (await sql.run('UPDATE incident_timers SET fired_at = @at WHERE id = @id AND claimed_by = @holder AND fired_at IS NULL', { id, holder, at: at.getTime() })) === 1;
}
