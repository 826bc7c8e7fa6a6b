import type Database from 'better-sqlite3';
import type { InboxDelivery, InboxEntry, InboxKind, Lease } from '../../../ports.js';
import { compact, fromMs, json } from './codec.js';

export interface InboxRow {
  delivery_id: string;
  kind: string;
  payload: string;
  received_at: number;
  attempts: number;
  claimed_by: string | null;
  lease_until: number | null;
  handled_at: number | null;
}

/** Claimable: not handled, and never leased or its lease ran out (a crashed claimer). */
const CLAIMABLE = 'handled_at IS NULL AND (lease_until IS NULL OR lease_until <= @now)';
const CLAIM = 'SET claimed_by = @holder, lease_until = @until, attempts = attempts + 1';

export class SqliteInbox {
  private readonly insert;
  private readonly claimOne;
  private readonly claimOldest;
  private readonly handled;
  private readonly renewHeld;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO inbox (delivery_id, kind, payload, received_at) VALUES (@id, @kind, @payload, @receivedAt) ON CONFLICT (delivery_id) DO NOTHING',
    );
    this.claimOne = db.prepare<LeaseParams & { id: string }, InboxRow>(`UPDATE inbox ${CLAIM} WHERE delivery_id = @id AND ${CLAIMABLE} RETURNING *`);
    // The outer condition repeats CLAIMABLE: where claimers run concurrently (PostgreSQL), it is re-checked
    // on the locked row, so two claimers that picked the same candidates cannot both take one.
    this.claimOldest = db.prepare<LeaseParams & { limit: number }, InboxRow>(
      `UPDATE inbox ${CLAIM} WHERE ${CLAIMABLE} AND delivery_id IN (SELECT delivery_id FROM inbox WHERE ${CLAIMABLE} ORDER BY received_at LIMIT @limit) RETURNING *`,
    );
    this.handled = db.prepare('UPDATE inbox SET handled_at = @at WHERE delivery_id = @id AND handled_at IS NULL');
    this.renewHeld = db.prepare('UPDATE inbox SET lease_until = @until WHERE claimed_by = @holder AND handled_at IS NULL');
  }

  record(d: InboxDelivery): boolean {
    return this.insert.run({ id: d.id, kind: d.kind, payload: json(d.payload), receivedAt: d.receivedAt.getTime() }).changes === 1;
  }

  claim(id: string, lease: Lease): InboxEntry | undefined {
    const row = this.claimOne.get({ id, ...leaseParams(lease) });
    return row && toEntry(row);
  }

  claimUnhandled(lease: Lease, limit: number): InboxEntry[] {
    return this.claimOldest
      .all({ limit, ...leaseParams(lease) })
      .map(toEntry)
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }

  markHandled(id: string, at: Date): boolean {
    return this.handled.run({ id, at: at.getTime() }).changes === 1;
  }

  renew(lease: Lease): number {
    const { holder, until } = leaseParams(lease);
    return this.renewHeld.run({ holder, until }).changes;
  }
}

interface LeaseParams {
  holder: string;
  now: number;
  until: number;
}

export const leaseParams = (lease: Lease): LeaseParams => ({ holder: lease.holder, now: lease.now.getTime(), until: lease.now.getTime() + lease.leaseMs });

export function toEntry(row: InboxRow): InboxEntry {
  return compact({
    id: row.delivery_id,
    kind: row.kind as InboxKind,
    payload: JSON.parse(row.payload) as unknown,
    receivedAt: fromMs(row.received_at),
    attempts: row.attempts,
    claimedBy: row.claimed_by ?? undefined,
    leaseUntil: row.lease_until === null ? undefined : fromMs(row.lease_until),
    handledAt: row.handled_at === null ? undefined : fromMs(row.handled_at),
  });
}
