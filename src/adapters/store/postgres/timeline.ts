import type { TimelineNote } from '../../../domain/incident.js';
import type { TimelineEntry } from '../../../ports.js';
import { json } from '../sqlite/codec.js';
import { toTimelineEntry, type TimelineRow } from '../sqlite/timeline.js';
import type { Sql } from './connection.js';

/** Within the caller's transaction. */
export async function appendTimeline(sql: Sql, incidentId: string, notes: readonly TimelineNote[]): Promise<void> {
  for (const n of notes) {
    await sql.run('INSERT INTO incident_timeline (incident_id, at, actor, kind, detail) VALUES (@incidentId, @at, @actor, @kind, @detail)', {
      incidentId,
      at: n.at.getTime(),
      actor: n.actor,
      kind: n.kind,
      detail: json(n.detail),
    });
  }
}

export async function listTimeline(sql: Sql, incidentId: string): Promise<TimelineEntry[]> {
  return (await sql.rows<TimelineRow>('SELECT * FROM incident_timeline WHERE incident_id = @incidentId ORDER BY at, seq', { incidentId })).map(toTimelineEntry);
}
