import type { DiagnosisReport } from '../domain/diagnosis.js';
import { incidentReport, type IncidentReport } from '../domain/incident-report.js';
import type { IncidentStore } from '../ports.js';
import type { SlackOutboxPayload } from './incident-writes.js';

/**
 * The post-incident report of a stored incident: its facts, its timeline, and the last diagnosis the
 * thread was given (kept in the outbox, written with the change that caused it). Undefined when there
 * is no such incident.
 */
export async function storedIncidentReport(store: Pick<IncidentStore, 'getIncident' | 'listTimeline' | 'listOutbox'>, incidentId: string): Promise<IncidentReport | undefined> {
  const incident = await store.getIncident(incidentId);
  if (!incident) return undefined;
  const [timeline, outbox] = await Promise.all([store.listTimeline(incidentId), store.listOutbox(incidentId)]);
  const diagnosis = outbox
    .map((m) => (m.destination === 'slack' ? (m.payload as SlackOutboxPayload) : undefined))
    .filter((p): p is Extract<SlackOutboxPayload, { kind: 'diagnosis' }> => p?.kind === 'diagnosis')
    .map((p): DiagnosisReport => p.report)
    .at(-1);
  return incidentReport({ incident, timeline, ...(diagnosis ? { diagnosis } : {}) });
}
