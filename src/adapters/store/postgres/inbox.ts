import type { InboxDelivery, InboxEntry, Lease } from '../../../ports.js';
import { json } from '../sqlite/codec.js';
import { leaseParams, toEntry, type InboxRow } from '../sqlite/inbox.js';
import type { Sql } from './connection.js';

/** Claimable: not handled, and never leased or its lease ran out (a crashed claimer). */
const CLAIMABLE = 'handled_at IS NULL AND (lease_until IS NULL OR lease_until <= @now)';
const CLAIM = 'SET claimed_by = @holder, lease_until = @until, attempts = inbox.attempts + 1';

/** The inbox (rows as in SQLite). Several replicas claim at once: a claim locks its rows and skips those another holds. */
export class PostgresInbox {
  constructor(private readonly sql: Sql) {}

  async record(d: InboxDelivery): Promise<boolean> {
    const params = { id: d.id, kind: d.kind, payload: json(d.payload), receivedAt: d.receivedAt.getTime() };
    return (await this.sql.run('INSERT INTO inbox (delivery_id, kind, payload, received_at) VALUES (@id, @kind, @payload, @receivedAt) ON CONFLICT (delivery_id) DO NOTHING', params)) === 1;
  }

  async claim(id: string, lease: Lease): Promise<InboxEntry | undefined> {
    const row = await this.sql.row<InboxRow>(`UPDATE inbox ${CLAIM} WHERE delivery_id = @id AND ${CLAIMABLE} RETURNING *`, { id, ...leaseParams(lease) });
    return row && toEntry(row);
  }

  async claimUnhandled(lease: Lease, limit: number): Promise<InboxEntry[]> {
    const rows = await this.sql.rows<InboxRow>(
      `WITH picked AS (SELECT delivery_id FROM inbox WHERE ${CLAIMABLE} ORDER BY received_at LIMIT @limit FOR UPDATE SKIP LOCKED)
       UPDATE inbox ${CLAIM} FROM picked WHERE inbox.delivery_id = picked.delivery_id RETURNING inbox.*`,
      { limit, ...leaseParams(lease) },
    );
    return rows.map(toEntry).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }

  async markHandled(id: string, at: Date): Promise<boolean> {
    return (await this.sql.run('UPDATE inbox SET handled_at = @at WHERE delivery_id = @id AND handled_at IS NULL', { id, at: at.getTime() })) === 1;
  }

  renew(lease: Lease): Promise<number> {
    const { holder, until } = leaseParams(lease);
    return this.sql.run('UPDATE inbox SET lease_until = @until WHERE claimed_by = @holder AND handled_at IS NULL', { holder, until });
  }
}
