import type { IncidentEffect, IncidentTransition } from '../domain/incident.js';
import type { EscalationLevel } from '../domain/escalation.js';
import type { PageAction } from '../domain/incident.js';
import type { IncidentChangeResult, IncidentRecord, IncidentThreadItem, IncidentWrites, NewOutboxMessage, Store } from '../ports.js';

/** What the Slack relay delivers for an incident; the parent is rendered from the saved record when it goes out. */
export type SlackOutboxPayload = { kind: 'post-parent' } | { kind: 'update-parent' } | IncidentThreadItem;

/** A page, routed to its level's routing key when it is delivered (keys can change without losing the queue). */
export interface PagerOutboxPayload {
  action: PageAction;
  level: EscalationLevel;
  reason?: string;
}

export const slackMessage = (payload: SlackOutboxPayload, at: Date): NewOutboxMessage => ({ destination: 'slack', kind: payload.kind, payload, createdAt: at });

/**
 * A transition's effects as the store writes them, in the same transaction
 * as the change: timeline entries, outbox messages (for Slack and PagerDuty,
 * in order per incident) and timers.
 */
export function writesOf(effects: readonly IncidentEffect[], at: Date): IncidentWrites {
  const writes: IncidentWrites = { timeline: [], outbox: [], timers: [] };
  for (const e of effects) {
    switch (e.kind) {
      case 'timeline':
        writes.timeline.push(e.entry);
        break;
      case 'post-parent':
      case 'update-parent':
        writes.outbox.push(slackMessage({ kind: e.kind }, at));
        break;
      case 'post-thread':
        writes.outbox.push(slackMessage({ kind: 'notice', notice: e.notice }, at));
        break;
      case 'page': {
        const payload: PagerOutboxPayload = { action: e.action, level: e.level, ...(e.reason ? { reason: e.reason } : {}) };
        writes.outbox.push({ destination: 'pagerduty', kind: e.action, payload, createdAt: at });
        break;
      }
      case 'schedule':
        writes.timers.push({ kind: e.timer, dueAt: e.dueAt });
        break;
    }
  }
  return writes;
}

type Accepted = Extract<IncidentTransition, { accepted: true }>;

/** An accepted transition saved by compare-and-set with its writes (plus `extra` messages): the saved record, or why it lost. */
export async function saveIncidentTransition(
  store: Store,
  record: IncidentRecord,
  t: Accepted,
  at: Date,
  extra: Partial<Pick<Parameters<Store['transitionIncident']>[2], 'firedTimer' | 'delivery'>> & { outbox?: NewOutboxMessage[] } = {},
): Promise<{ won: true; record: IncidentRecord } | Extract<IncidentChangeResult, { won: false }>> {
  const writes = writesOf(t.effects, at);
  const { outbox = [], ...rest } = extra;
  const saved = await store.transitionIncident(record.id, record.version, { facts: t.state, phase: t.phase, ...writes, outbox: [...writes.outbox, ...outbox], ...rest });
  return saved.won ? { won: true, record: { ...record, ...t.state, version: saved.version, phase: t.phase } } : saved;
}
