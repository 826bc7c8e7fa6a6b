import type Database from 'better-sqlite3';
import type { TimelineKind, TimelineNote } from '../../../domain/incident.js';
import type { TimelineEntry } from '../../../ports.js';
import { fromMs, json } from './codec.js';

export interface TimelineRow {
  seq: number;
  incident_id: string;
  at: number;
  actor: string;
  kind: string;
  detail: string;
}

export class SqliteTimeline {
  private readonly insert;
  private readonly byIncident;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO incident_timeline (incident_id, at, actor, kind, detail) VALUES (@incidentId, @at, @actor, @kind, @detail)');
    this.byIncident = db.prepare<[string], TimelineRow>('SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY at, seq');
  }

  /** Runs inside the caller's transaction. */
  append(incidentId: string, notes: readonly TimelineNote[]): void {
    for (const n of notes) this.insert.run({ incidentId, at: n.at.getTime(), actor: n.actor, kind: n.kind, detail: json(n.detail) });
  }

  list(incidentId: string): TimelineEntry[] {
    return this.byIncident.all(incidentId).map(toTimelineEntry);
  }
}

export const toTimelineEntry = (r: TimelineRow): TimelineEntry => ({
  seq: r.seq,
  incidentId: r.incident_id,
  at: fromMs(r.at),
  actor: r.actor,
  kind: r.kind as TimelineKind,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});
