import type { Policy } from '../config/policy.js';
import { toMedicError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock, IncidentChat, IncidentRecord, OutboxDestination, OutboxMessage, Pager, PagerEvent, Store } from '../ports.js';
import type { PagerOutboxPayload, SlackOutboxPayload } from './incident-writes.js';

/** Back-off between attempts of one message: quick at first, then every five minutes at most. */
const BACKOFF_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000, 120_000, 300_000];
/** PagerDuty takes about 120 events a minute per routing key. */
const PAGER_EVENTS_PER_MINUTE = 120;
const LEASE_MS = 30_000;

type Outcome = { kind: 'delivered' } | { kind: 'retry'; error: string } | { kind: 'failed'; error: string };

/**
 * Delivers the outbox: every Slack post and PagerDuty event was written in
 * the same transaction as the change that caused it, and goes out here, in
 * order per incident and destination, with back-off on 429s, 5xx and
 * refused connections; a 400 is given up on and said in the thread. Claims
 * come from the store, so two relays never deliver one message.
 */
export class OutboxRelay {
  /** When this relay sent each routing key's recent events: the rate kept under PagerDuty's. */
  private readonly sent = new Map<string, number[]>();
  /** The drain a wake-up started, and whether another wake-up came during it. Only saves work: claims in the store keep delivery once and in order. */
  private woken?: Promise<void>;
  private wokenAgain = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      chat: IncidentChat;
      pager: Pager;
      policy: Pick<Policy, 'escalation'>;
      /** PAGERDUTY_ROUTING_KEY: for levels the policy names no key for. */
      defaultRoutingKey?: string;
      holder: string;
      log: Logger;
      /** Whether this replica may deliver now (the leader); checked before every claim. Absent: always. */
      active?: () => boolean;
    },
  ) {}

  /** Delivers what was just written now rather than at the next tick; wake-ups during a drain make it go round once more. */
  wake(): void {
    if (this.stopped) return;
    if (this.woken) return void (this.wokenAgain = true);
    this.woken = (async () => {
      do {
        this.wokenAgain = false;
        await this.drain();
      } while (this.wokenAgain);
    })()
      .catch((err: unknown) => this.deps.log.error({ err }, 'outbox drain failed; the next tick tries again'))
      .finally(() => (this.woken = undefined));
  }

  /** Wakes no more and waits for the drain under way, before the store closes; what is left is delivered after the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.woken;
  }

  /** Delivers what is due, destination by destination; returns how many were delivered. */
  async drain(): Promise<number> {
    let delivered = 0;
    for (const destination of ['slack', 'pagerduty'] as const) delivered += await this.drainDestination(destination);
    return delivered;
  }

  private async drainDestination(destination: OutboxDestination): Promise<number> {
    const { store, clock, holder } = this.deps;
    let delivered = 0;
    for (;;) {
      if (this.stopped || this.deps.active?.() === false) return delivered;
      const batch = await store.claimOutbox({ holder, now: clock.now(), leaseMs: LEASE_MS }, 20, destination);
      if (!batch.length) return delivered;
      const outcomes = await Promise.all(batch.map((m) => this.deliver(m)));
      for (const [i, outcome] of outcomes.entries()) {
        const m = batch[i]!;
        const now = clock.now();
        if (outcome.kind === 'delivered') {
          await store.markOutboxDelivered(m.id, holder, now);
          delivered++;
        } else if (outcome.kind === 'retry') {
          await store.retryOutbox(m.id, holder, { error: outcome.error, nextAttemptAt: new Date(now.getTime() + BACKOFF_MS[Math.min(m.attempts - 1, BACKOFF_MS.length - 1)]!) });
        } else {
          await store.failOutbox(m.id, holder, { at: now, error: outcome.error });
          await this.sayFailed(m, outcome.error);
        }
      }
      // Retried heads block their incident until their next attempt: stop once nothing was delivered.
      if (outcomes.every((o) => o.kind !== 'delivered')) return delivered;
    }
  }

  private async deliver(m: OutboxMessage): Promise<Outcome> {
    const incident = await this.deps.store.getIncident(m.incidentId);
    if (!incident) return { kind: 'failed', error: `incident ${m.incidentId} is gone` };
    try {
      return m.destination === 'slack' ? await this.toSlack(incident, m.payload as SlackOutboxPayload) : await this.toPager(incident, m.payload as PagerOutboxPayload);
    } catch (e) {
      const err = toMedicError(e, 'SLACK_API');
      this.deps.log.warn({ err, incident: incident.id, message: m.id, kind: m.kind }, 'outbox delivery failed; it will be retried');
      return { kind: 'retry', error: err.message };
    }
  }

  private async toSlack(incident: IncidentRecord, payload: SlackOutboxPayload): Promise<Outcome> {
    const { chat, store } = this.deps;
    if (!incident.channel) return { kind: 'failed', error: 'no incidents.channel in the policy file: nowhere to post' };
    if (payload.kind === 'post-parent') {
      if (!incident.parentTs) await store.attachIncidentMessage(incident.id, await chat.postParent(incident));
    } else if (!incident.parentTs) {
      return { kind: 'retry', error: 'the parent message is not posted yet' };
    } else if (payload.kind === 'update-parent') await chat.updateParent(incident);
    else await chat.postInThread(incident, payload);
    return { kind: 'delivered' };
  }

  private async toPager(incident: IncidentRecord, payload: PagerOutboxPayload): Promise<Outcome> {
    const routingKey = this.deps.policy.escalation.routingKeys[payload.level] ?? this.deps.defaultRoutingKey;
    if (!routingKey) return { kind: 'failed', error: `no routing key for ${payload.level}: set escalation.routingKeys.${payload.level} in the policy file or PAGERDUTY_ROUTING_KEY` };
    if (!this.withinRate(routingKey)) return { kind: 'retry', error: `holding back: ${PAGER_EVENTS_PER_MINUTE} events in the last minute for ${payload.level}` };
    const answer = await this.deps.pager.send(pagerEvent(incident, payload, routingKey));
    if (answer.outcome === 'delivered') return { kind: 'delivered' };
    return answer.outcome === 'rejected' ? { kind: 'failed', error: `PagerDuty refused the ${payload.action} (${answer.status}): ${answer.detail}` } : { kind: 'retry', error: answer.detail };
  }

  private withinRate(routingKey: string): boolean {
    const now = this.deps.clock.now().getTime();
    const recent = (this.sent.get(routingKey) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= PAGER_EVENTS_PER_MINUTE) return false;
    recent.push(now);
    this.sent.set(routingKey, recent);
    return true;
  }

  /** A message given up on is told in the thread (unless it was the thread that failed). */
  private async sayFailed(m: OutboxMessage, error: string): Promise<void> {
    const incident = await this.deps.store.getIncident(m.incidentId);
    if (!incident?.parentTs || m.destination === 'slack') return void this.deps.log.error({ incident: m.incidentId, message: m.id, error }, 'outbox message given up');
    await this.deps.chat
      .postInThread(incident, { kind: 'notice', notice: { kind: 'note', by: 'deploy-medic', text: `⚠️ ${error}` } })
      .catch((err: unknown) => this.deps.log.error({ err, incident: incident.id }, 'could not say in the thread that a page failed'));
  }
}

/** The Events v2 event of a page: the incident ID as dedup_key, the root cause as class, the thread as a link. */
function pagerEvent(incident: IncidentRecord, payload: PagerOutboxPayload, routingKey: string): PagerEvent {
  const s = incident.subject;
  const where = s.kind === 'rollout' ? `${s.cluster}/${s.namespace}` : 'alertmanager';
  const what = s.kind === 'rollout' ? `${s.namespace}/${s.deployment} revision ${s.revision}` : s.groupKey;
  if (payload.action !== 'trigger') return { routingKey, action: payload.action, dedupKey: incident.id };
  return {
    routingKey,
    action: 'trigger',
    dedupKey: incident.id,
    payload: {
      summary: `${what}: ${incident.summary}`.slice(0, 1024),
      source: where,
      severity: incident.severity,
      ...(s.kind === 'rollout' ? { component: s.deployment, group: s.namespace } : {}),
      ...(incident.rootCause ? { class: incident.rootCause } : {}),
      custom_details: { incident: incident.id, phase: incident.phase, rootCause: incident.rootCause ?? null, summary: incident.summary, paged: payload.reason ?? null },
      timestamp: incident.openedAt.toISOString(),
    },
    ...(incident.channel && incident.parentTs ? { links: [{ href: `https://slack.com/app_redirect?channel=${incident.channel}&message_ts=${incident.parentTs}`, text: 'Incident thread in Slack' }] } : {}),
  };
}
