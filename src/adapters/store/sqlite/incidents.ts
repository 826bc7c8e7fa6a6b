import type Database from 'better-sqlite3';
import { phaseOf, type IncidentLinkKind, type IncidentPhase } from '../../../domain/incident.js';
import type { DeploymentTarget, IncidentChange, IncidentChangeResult, IncidentLink, IncidentOpening, IncidentRecord, IncidentWrites, NewIncident } from '../../../ports.js';
import { compact, fromMs, toMs } from './codec.js';
import { decodeFacts, encodeFacts } from './incident-codec.js';
import type { SqliteIntake } from './intake.js';
import type { SqliteOutbox } from './outbox.js';
import type { SqliteTimeline } from './timeline.js';
import type { SqliteTimers } from './timers.js';

export interface IncidentRow {
  id: string;
  fingerprint: string;
  version: number;
  phase: string;
  channel: string | null;
  parent_ts: string | null;
  facts: string;
}

/** Lost inside a transaction: thrown to roll it back, caught as a result. */
class Lost extends Error {
  constructor(readonly reason: 'timer-lost' | 'duplicate-delivery') {
    super(reason);
  }
}

/** Live for merging: not released, and not past its grace period at @now. */
const LIVE = 'live_fingerprint = @fingerprint AND (grace_until IS NULL OR grace_until > @now)';

export class SqliteIncidents {
  private readonly release;
  private readonly insert;
  private readonly live;
  private readonly update;
  private readonly attach;
  private readonly byId;
  private readonly open;
  private readonly byDeployment;
  private readonly insertLink;
  private readonly links;

  constructor(
    private readonly db: Database.Database,
    private readonly parts: { timeline: SqliteTimeline; timers: SqliteTimers; outbox: SqliteOutbox; intake: SqliteIntake },
  ) {
    this.release = db.prepare('UPDATE incidents SET live_fingerprint = NULL WHERE live_fingerprint = @fingerprint AND grace_until <= @now');
    // "Open or merge" is this one insert: the UNIQUE live_fingerprint lets exactly one of any number of racers create.
    this.insert = db.prepare<Record<string, unknown>, { id: string }>(
      `INSERT INTO incidents (id, fingerprint, live_fingerprint, version, phase, channel, cluster, namespace, deployment, opened_at, grace_until, facts)
       VALUES (@id, @fingerprint, @fingerprint, 1, @phase, @channel, @cluster, @namespace, @deployment, @openedAt, @graceUntil, @facts)
       ON CONFLICT (live_fingerprint) DO NOTHING RETURNING id`,
    );
    this.live = db.prepare<{ fingerprint: string; now: number }, IncidentRow>(`SELECT * FROM incidents WHERE ${LIVE}`);
    // The compare-and-set: only the writer that read `version` moves it on. Closing releases the fingerprint.
    this.update = db.prepare(
      `UPDATE incidents SET version = version + 1, phase = @phase, grace_until = @graceUntil, facts = @facts,
         live_fingerprint = CASE WHEN @closed = 1 THEN NULL ELSE live_fingerprint END
       WHERE id = @id AND version = @fromVersion`,
    );
    this.attach = db.prepare('UPDATE incidents SET parent_ts = @parentTs WHERE id = @id AND parent_ts IS NULL');
    this.byId = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?');
    this.open = db.prepare<[], IncidentRow>("SELECT * FROM incidents WHERE phase <> 'resolved' ORDER BY opened_at, id");
    this.byDeployment = db.prepare<DeploymentTarget, IncidentRow>(
      'SELECT * FROM incidents WHERE cluster = @cluster AND namespace = @namespace AND deployment = @name ORDER BY opened_at DESC, id',
    );
    this.insertLink = db.prepare('INSERT INTO incident_links (from_id, to_id, kind, at) VALUES (@from, @to, @kind, @at) ON CONFLICT DO NOTHING');
    this.links = db.prepare<[string, string], { from_id: string; to_id: string; kind: string; at: number }>(
      'SELECT * FROM incident_links WHERE from_id = ? OR to_id = ? ORDER BY at, from_id, to_id',
    );
  }

  openOrMerge(opening: IncidentOpening, now: Date): { created: boolean; incident: IncidentRecord } {
    const { incident } = opening;
    const key = { fingerprint: incident.fingerprint, now: now.getTime() };
    return this.db
      .transaction(() => {
        this.release.run(key);
        const created = this.insert.get(insertParams(incident)) !== undefined;
        if (created) {
          for (const link of opening.links) this.insertLink.run({ from: incident.id, to: link.to, kind: link.kind, at: incident.openedAt.getTime() });
          this.write(incident.id, opening);
        }
        const row = this.live.get(key);
        if (!row) throw new Error(`no live incident for ${incident.fingerprint} after open-or-merge`);
        return { created, incident: toRecord(row) };
      })
      .immediate();
  }

  transition(id: string, fromVersion: number, change: IncidentChange): IncidentChangeResult {
    try {
      return this.db
        .transaction((): IncidentChangeResult => {
          const params = { id, fromVersion, phase: change.phase, graceUntil: toMs(change.facts.resolved?.graceUntil), facts: encodeFacts(change.facts), closed: change.facts.closedAt ? 1 : 0 };
          if (this.update.run(params).changes === 0) return { won: false, reason: 'stale' };
          const t = change.firedTimer;
          if (t && !this.parts.timers.fire(t.id, t.holder, t.at)) throw new Lost('timer-lost');
          if (change.delivery && !this.parts.intake.recordDelivery(change.delivery)) throw new Lost('duplicate-delivery');
          this.write(id, change);
          return { won: true, version: fromVersion + 1 };
        })
        .immediate();
    } catch (e) {
      if (e instanceof Lost) return { won: false, reason: e.reason };
      throw e;
    }
  }

  attachMessage(id: string, parentTs: string): boolean {
    return this.attach.run({ id, parentTs }).changes === 1;
  }

  get(id: string): IncidentRecord | undefined {
    const row = this.byId.get(id);
    return row && toRecord(row);
  }

  findLive(fingerprint: string, now: Date): IncidentRecord | undefined {
    const row = this.live.get({ fingerprint, now: now.getTime() });
    return row && toRecord(row);
  }

  listOpen(): IncidentRecord[] {
    return this.open.all().map(toRecord);
  }

  listByDeployment(ref: DeploymentTarget): IncidentRecord[] {
    return this.byDeployment.all({ cluster: ref.cluster, namespace: ref.namespace, name: ref.name }).map(toRecord);
  }

  listLinks(id: string): IncidentLink[] {
    return this.links.all(id, id).map((l) => ({ from: l.from_id, to: l.to_id, kind: l.kind as IncidentLinkKind, at: fromMs(l.at) }));
  }

  private write(incidentId: string, writes: IncidentWrites): void {
    this.parts.timeline.append(incidentId, writes.timeline);
    this.parts.outbox.enqueue(incidentId, writes.outbox);
    this.parts.timers.schedule(incidentId, writes.timers);
  }
}

export function insertParams(i: NewIncident): Record<string, unknown> {
  const { id, fingerprint, channel } = i;
  const s = i.subject;
  const rollout = s.kind === 'rollout' ? s : undefined;
  return {
    id,
    fingerprint,
    phase: phaseOf(i),
    channel: channel ?? null,
    cluster: rollout?.cluster ?? null,
    namespace: rollout?.namespace ?? null,
    deployment: rollout?.deployment ?? null,
    openedAt: i.openedAt.getTime(),
    graceUntil: toMs(i.resolved?.graceUntil),
    facts: encodeFacts(i),
  };
}

export function toRecord(r: IncidentRow): IncidentRecord {
  return compact({
    ...decodeFacts(r.facts),
    id: r.id,
    fingerprint: r.fingerprint,
    version: r.version,
    phase: r.phase as IncidentPhase,
    channel: r.channel ?? undefined,
    parentTs: r.parent_ts ?? undefined,
  });
}
