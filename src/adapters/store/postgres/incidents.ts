import type { IncidentLinkKind } from '../../../domain/incident.js';
import type { DeploymentTarget, IncidentChange, IncidentChangeResult, IncidentLink, IncidentOpening, IncidentRecord, IncidentWrites } from '../../../ports.js';
import { fromMs, toMs } from '../sqlite/codec.js';
import { encodeFacts } from '../sqlite/incident-codec.js';
import { insertParams, toRecord, type IncidentRow } from '../sqlite/incidents.js';
import type { PostgresConnection, Sql } from './connection.js';
import { recordWebhookDelivery } from './intake.js';
import { enqueueOutbox } from './outbox.js';
import { appendTimeline } from './timeline.js';
import { fireTimer, scheduleTimers } from './timers.js';

/** Lost inside a transaction: thrown to roll it back, caught as a result. */
class Lost extends Error {
  constructor(readonly reason: 'timer-lost' | 'duplicate-delivery') {
    super(reason);
  }
}

/** Live for merging: not released, and not past its grace period at @now. */
const LIVE = 'live_fingerprint = @fingerprint AND (grace_until IS NULL OR grace_until > @now)';

export class PostgresIncidents {
  constructor(private readonly db: PostgresConnection) {}

  openOrMerge(opening: IncidentOpening, now: Date): Promise<{ created: boolean; incident: IncidentRecord }> {
    const { incident } = opening;
    const key = { fingerprint: incident.fingerprint, now: now.getTime() };
    return this.db.transaction(async (sql) => {
      await sql.run('UPDATE incidents SET live_fingerprint = NULL WHERE live_fingerprint = @fingerprint AND grace_until <= @now', key);
      // "Open or merge" is this one insert: a racer waits for the first one's row, then inserts nothing.
      const created =
        (await sql.row(
          `INSERT INTO incidents (id, fingerprint, live_fingerprint, version, phase, channel, cluster, namespace, deployment, opened_at, grace_until, facts)
           VALUES (@id, @fingerprint, @fingerprint, 1, @phase, @channel, @cluster, @namespace, @deployment, @openedAt, @graceUntil, @facts)
           ON CONFLICT (live_fingerprint) DO NOTHING RETURNING id`,
          insertParams(incident),
        )) !== undefined;
      if (created) {
        for (const link of opening.links) {
          await sql.run('INSERT INTO incident_links (from_id, to_id, kind, at) VALUES (@from, @to, @kind, @at) ON CONFLICT DO NOTHING', {
            from: incident.id,
            to: link.to,
            kind: link.kind,
            at: incident.openedAt.getTime(),
          });
        }
        await write(sql, incident.id, opening);
      }
      const row = await sql.row<IncidentRow>(`SELECT * FROM incidents WHERE ${LIVE}`, key);
      if (!row) throw new Error(`no live incident for ${incident.fingerprint} after open-or-merge`);
      return { created, incident: toRecord(row) };
    });
  }

  async transition(id: string, fromVersion: number, change: IncidentChange): Promise<IncidentChangeResult> {
    try {
      return await this.db.transaction(async (sql): Promise<IncidentChangeResult> => {
        // The compare-and-set: only the writer that read `version` moves it on. Closing releases the fingerprint.
        const updated = await sql.run(
          `UPDATE incidents SET version = version + 1, phase = @phase, grace_until = @graceUntil, facts = @facts,
             live_fingerprint = CASE WHEN @closed = 1 THEN NULL ELSE live_fingerprint END
           WHERE id = @id AND version = @fromVersion`,
          { id, fromVersion, phase: change.phase, graceUntil: toMs(change.facts.resolved?.graceUntil), facts: encodeFacts(change.facts), closed: change.facts.closedAt ? 1 : 0 },
        );
        if (updated === 0) return { won: false, reason: 'stale' };
        const t = change.firedTimer;
        if (t && !(await fireTimer(sql, t.id, t.holder, t.at))) throw new Lost('timer-lost');
        if (change.delivery && !(await recordWebhookDelivery(sql, change.delivery))) throw new Lost('duplicate-delivery');
        await write(sql, id, change);
        return { won: true, version: fromVersion + 1 };
      });
    } catch (e) {
      if (e instanceof Lost) return { won: false, reason: e.reason };
      throw e;
    }
  }

  async attachMessage(id: string, parentTs: string): Promise<boolean> {
    return (await this.db.run('UPDATE incidents SET parent_ts = @parentTs WHERE id = @id AND parent_ts IS NULL', { id, parentTs })) === 1;
  }

  async get(id: string): Promise<IncidentRecord | undefined> {
    const row = await this.db.row<IncidentRow>('SELECT * FROM incidents WHERE id = @id', { id });
    return row && toRecord(row);
  }

  async findLive(fingerprint: string, now: Date): Promise<IncidentRecord | undefined> {
    const row = await this.db.row<IncidentRow>(`SELECT * FROM incidents WHERE ${LIVE}`, { fingerprint, now: now.getTime() });
    return row && toRecord(row);
  }

  async listOpen(): Promise<IncidentRecord[]> {
    return (await this.db.rows<IncidentRow>(`SELECT * FROM incidents WHERE phase <> 'resolved' ORDER BY opened_at, id COLLATE "C"`)).map(toRecord);
  }

  async listByDeployment(ref: DeploymentTarget): Promise<IncidentRecord[]> {
    const rows = await this.db.rows<IncidentRow>(
      'SELECT * FROM incidents WHERE cluster = @cluster AND namespace = @namespace AND deployment = @name ORDER BY opened_at DESC, id COLLATE "C"',
      { cluster: ref.cluster, namespace: ref.namespace, name: ref.name },
    );
    return rows.map(toRecord);
  }

  async listLinks(id: string): Promise<IncidentLink[]> {
    const rows = await this.db.rows<{ from_id: string; to_id: string; kind: string; at: number }>(
      'SELECT * FROM incident_links WHERE from_id = @id OR to_id = @id ORDER BY at, from_id COLLATE "C", to_id COLLATE "C"',
      { id },
    );
    return rows.map((l) => ({ from: l.from_id, to: l.to_id, kind: l.kind as IncidentLinkKind, at: fromMs(l.at) }));
  }
}

async function write(sql: Sql, incidentId: string, writes: IncidentWrites): Promise<void> {
  await appendTimeline(sql, incidentId, writes.timeline);
  await enqueueOutbox(sql, incidentId, writes.outbox);
  await scheduleTimers(sql, incidentId, writes.timers);
}
