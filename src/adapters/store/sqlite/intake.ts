import type Database from 'better-sqlite3';
import type { AlertEntry, AlertNotification, Lease, WebhookDelivery } from '../../../ports.js';
import { compact, fromMs, json, toMs } from './codec.js';
import { leaseParams } from './inbox.js';

type LeaseParams = ReturnType<typeof leaseParams>;

export interface AlertRow {
  seq: number;
  group_key: string;
  fingerprint: string;
  status: string;
  starts_at: number;
  ends_at: number | null;
  payload: string;
  received_at: number;
  attempts: number;
  claimed_by: string | null;
  lease_until: number | null;
  handled_at: number | null;
}

/**
 * Claimable: unhandled, not leased (or the lease ran out), and the alert's oldest unhandled
 * notification, so a "resolved" is never handled before the "firing" it ends.
 */
const CLAIMABLE = (t: string) => `${t}.handled_at IS NULL AND (${t}.lease_until IS NULL OR ${t}.lease_until <= @now)
  AND NOT EXISTS (SELECT 1 FROM alerts e WHERE e.group_key = ${t}.group_key AND e.fingerprint = ${t}.fingerprint AND e.handled_at IS NULL AND e.seq < ${t}.seq)`;

/** What arrives from outside and must be persisted once: Alertmanager's alerts and signed webhook deliveries. */
export class SqliteIntake {
  private readonly insertAlert;
  private readonly claimStmt;
  private readonly handledStmt;
  private readonly insertDelivery;

  constructor(private readonly db: Database.Database) {
    // The UNIQUE key is what makes a notification a duplicate: an HA peer's copy, a retry or a repeat.
    this.insertAlert = db.prepare(
      `INSERT INTO alerts (group_key, fingerprint, status, starts_at, ends_at, payload, received_at)
       VALUES (@groupKey, @fingerprint, @status, @startsAt, @endsAt, @payload, @receivedAt)
       ON CONFLICT (group_key, fingerprint, status, starts_at) DO NOTHING`,
    );
    this.claimStmt = db.prepare<LeaseParams & { limit: number }, AlertRow>(
      `UPDATE alerts SET claimed_by = @holder, lease_until = @until, attempts = attempts + 1
       WHERE ${CLAIMABLE('alerts')} AND seq IN (SELECT a.seq FROM alerts a WHERE ${CLAIMABLE('a')} ORDER BY a.seq LIMIT @limit) RETURNING *`,
    );
    this.handledStmt = db.prepare('UPDATE alerts SET handled_at = @at, lease_until = NULL WHERE seq = @seq AND handled_at IS NULL');
    this.insertDelivery = db.prepare(
      'INSERT INTO webhook_deliveries (source, delivery_id, received_at) VALUES (@source, @id, @receivedAt) ON CONFLICT (source, delivery_id) DO NOTHING',
    );
  }

  recordAlerts(alerts: readonly AlertNotification[]): boolean[] {
    return this.db
      .transaction(() =>
        alerts.map(
          (a) =>
            this.insertAlert.run({
              groupKey: a.groupKey,
              fingerprint: a.fingerprint,
              status: a.status,
              startsAt: a.startsAt.getTime(),
              endsAt: toMs(a.endsAt),
              payload: json(a.payload),
              receivedAt: a.receivedAt.getTime(),
            }).changes === 1,
        ),
      )
      .immediate();
  }

  claimAlerts(lease: Lease, limit: number): AlertEntry[] {
    return this.claimStmt
      .all({ limit, ...leaseParams(lease) })
      .map(toEntry)
      .sort((a, b) => a.seq - b.seq);
  }

  markAlertHandled(seq: number, at: Date): boolean {
    return this.handledStmt.run({ seq, at: at.getTime() }).changes === 1;
  }

  /** Runs inside the caller's transaction when there is one. */
  recordDelivery(d: WebhookDelivery): boolean {
    return this.insertDelivery.run({ source: d.source, id: d.id, receivedAt: d.receivedAt.getTime() }).changes === 1;
  }
}

export function toEntry(r: AlertRow): AlertEntry {
  return compact({
    seq: r.seq,
    groupKey: r.group_key,
    fingerprint: r.fingerprint,
    status: r.status as AlertEntry['status'],
    startsAt: fromMs(r.starts_at),
    endsAt: r.ends_at === null ? undefined : fromMs(r.ends_at),
    payload: JSON.parse(r.payload) as unknown,
    receivedAt: fromMs(r.received_at),
    attempts: r.attempts,
    claimedBy: r.claimed_by ?? undefined,
    leaseUntil: r.lease_until === null ? undefined : fromMs(r.lease_until),
    handledAt: r.handled_at === null ? undefined : fromMs(r.handled_at),
  });
}
