import { incidentFingerprint, openIncident, transition, type Detection, type IncidentEffect, type IncidentEvent, type IncidentSubject } from '../../src/domain/incident.js';
import type { IncidentChange, IncidentChangeResult, IncidentOpening, IncidentRecord, IncidentWrites, NewOutboxMessage, Store } from '../../src/ports.js';
import { incidentTerms, rollout, watcherDetection } from '../fixtures/incident-machine.js';

/** The machine's effects as the incident service will store them: timeline rows, outbox messages, timers. */
export function writesOf(effects: readonly IncidentEffect[], now: Date): IncidentWrites {
  const writes: IncidentWrites = { timeline: [], outbox: [], timers: [] };
  for (const e of effects) {
    if (e.kind === 'timeline') writes.timeline.push(e.entry);
    else if (e.kind === 'schedule') writes.timers.push({ kind: e.timer, dueAt: e.dueAt });
    else writes.outbox.push(message(e, now));
  }
  return writes;
}

function message(e: Exclude<IncidentEffect, { kind: 'timeline' | 'schedule' }>, now: Date): NewOutboxMessage {
  if (e.kind === 'page') return { destination: 'pagerduty', kind: e.action, payload: { level: e.level, reason: e.reason }, createdAt: now };
  return { destination: 'slack', kind: e.kind, payload: e.kind === 'post-thread' ? e.notice : {}, createdAt: now };
}

/** An opening as the service makes it: the machine's new incident with its effects. */
export function opening(id: string, now: Date, subject: IncidentSubject = rollout(), detection: Detection = watcherDetection(), links: IncidentOpening['links'] = []): IncidentOpening {
  const { state, effects } = openIncident(subject, detection, incidentTerms, now);
  return { incident: { ...state, id, fingerprint: incidentFingerprint(subject), channel: 'C0INCIDENTS' }, links, ...writesOf(effects, now) };
}

/** Runs one event through the machine and saves it with compare-and-set, as the service will. */
export async function applyIncident(store: Store, record: IncidentRecord, event: IncidentEvent, now: Date, extra: Pick<IncidentChange, 'firedTimer' | 'delivery'> = {}): Promise<IncidentChangeResult> {
  const r = transition(record, event, now);
  if (!r.accepted) throw new Error(`refused ${event.kind}: ${r.reason}`);
  return store.transitionIncident(record.id, record.version, { facts: r.state, phase: r.phase, ...writesOf(r.effects, now), ...extra });
}

export const slack = (kind: string, createdAt: Date, payload: unknown = {}): NewOutboxMessage => ({ destination: 'slack', kind, payload, createdAt });
export const pager = (kind: string, createdAt: Date, payload: unknown = {}): NewOutboxMessage => ({ destination: 'pagerduty', kind, payload, createdAt });

/** An incident whose opening wrote exactly `outbox` (and no timers): for the outbox tests. */
export async function incidentWithOutbox(store: Store, id: string, now: Date, outbox: NewOutboxMessage[], revision = 5): Promise<IncidentRecord> {
  const o = opening(id, now, rollout(revision, { deployment: id }));
  return (await store.openOrMergeIncident({ ...o, outbox, timers: [] }, now)).incident;
}
