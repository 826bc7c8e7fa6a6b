import type { AlertEntry, AlertNotification, Lease, WebhookDelivery } from '../../../ports.js';
import { json, toMs } from '../sqlite/codec.js';
import { leaseParams } from '../sqlite/inbox.js';
import { toEntry, type AlertRow } from '../sqlite/intake.js';
import type { PostgresConnection, Sql } from './connection.js';

/**
 * Claimable: unhandled, not leased (or the lease ran out), and the alert's oldest unhandled
 * notification, so a "resolved" is never handled before the "firing" it ends. Handling is
 * one-way, so a claimer whose snapshot is a little old only ever claims less.
 */
const CLAIMABLE = `a.handled_at IS NULL AND (a.lease_until IS NULL OR a.lease_until <= @now)
  AND NOT EXISTS (SELECT 1 FROM alerts e WHERE e.group_key = a.group_key AND e.fingerprint = a.fingerprint AND e.handled_at IS NULL AND e.seq < a.seq)`;

/** Alertmanager's alerts and signed webhook deliveries, persisted once. */
export class PostgresIntake {
  constructor(private readonly db: PostgresConnection) {}

  recordAlerts(alerts: readonly AlertNotification[]): Promise<boolean[]> {
    return this.db.transaction(async (sql) => {
      const recorded: boolean[] = [];
      for (const a of alerts) {
        // The UNIQUE key is what makes a notification a duplicate: an HA peer's copy, a retry or a repeat.
        const inserted = await sql.run(
          `INSERT INTO alerts (group_key, fingerprint, status, starts_at, ends_at, payload, received_at)
           VALUES (@groupKey, @fingerprint, @status, @startsAt, @endsAt, @payload, @receivedAt)
           ON CONFLICT (group_key, fingerprint, status, starts_at) DO NOTHING`,
          {
            groupKey: a.groupKey,
            fingerprint: a.fingerprint,
            status: a.status,
            startsAt: a.startsAt.getTime(),
            endsAt: toMs(a.endsAt),
            payload: json(a.payload),
            receivedAt: a.receivedAt.getTime(),
          },
        );
        recorded.push(inserted === 1);
      }
      return recorded;
    });
  }

  async claimAlerts(lease: Lease, limit: number): Promise<AlertEntry[]> {
    const rows = await this.db.rows<AlertRow>(
      `WITH picked AS (SELECT a.seq FROM alerts a WHERE ${CLAIMABLE} ORDER BY a.seq LIMIT @limit FOR UPDATE OF a SKIP LOCKED)
       UPDATE alerts SET claimed_by = @holder, lease_until = @until, attempts = alerts.attempts + 1 FROM picked WHERE alerts.seq = picked.seq RETURNING alerts.*`,
      { limit, ...leaseParams(lease) },
    );
    return rows.map(toEntry).sort((a, b) => a.seq - b.seq);
  }

  async markAlertHandled(seq: number, at: Date): Promise<boolean> {
    return (await this.db.run('UPDATE alerts SET handled_at = @at, lease_until = NULL WHERE seq = @seq AND handled_at IS NULL', { seq, at: at.getTime() })) === 1;
  }
}

/** Within the caller's transaction when there is one. */
export async function recordWebhookDelivery(sql: Sql, d: WebhookDelivery): Promise<boolean> {
  const inserted = await sql.run(
    'INSERT INTO webhook_deliveries (source, delivery_id, received_at) VALUES (@source, @id, @receivedAt) ON CONFLICT (source, delivery_id) DO NOTHING',
    { source: d.source, id: d.id, receivedAt: d.receivedAt.getTime() },
  );
  return inserted === 1;
}
