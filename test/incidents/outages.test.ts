import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PagerDutyEvents } from '../../src/adapters/pagerduty/events.js';
import type { IncidentRecord } from '../../src/ports.js';
import { OutboxRelay } from '../../src/services/outbox-relay.js';
import { PagerDutyEmulator } from '../../src/sim/pagerduty/emulator.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { ChannelQueues } from '../../src/slack/channel-queue.js';
import { slackIncidentChat } from '../../src/slack/incident-chat.js';
import { BOT_TOKEN, startSlackEmulator } from '../helpers/slack.js';
import { incidentWorld, silent, type IncidentWorld } from './world.js';

/**
 * The outbox through outages, over real HTTP: PagerDuty answering 5xx, then
 * 429, then refusing connections, for minutes of the relay's clock, while
 * three incidents are opened, taken and recovered; Slack answering 429 with
 * Retry-After meanwhile. Once both are back, every page and every thread
 * message is delivered, in order per incident, once.
 */
let slack: SlackEmulator;
let pd: PagerDutyEmulator;
let w: IncidentWorld;
let relay: OutboxRelay;

beforeAll(async () => {
  w = await incidentWorld({ incidents: { channel: 'C0INCIDENTS' }, escalation: { pageImmediately: ['critical'] } });
  // The emulator's fault windows run on the relay's clock, so "for minutes" takes seconds.
  pd = await PagerDutyEmulator.start({ now: () => w.clock.now().getTime() });
  const key = Object.values(pd.routingKeys)[0]!;
  (w.policy.escalation.routingKeys as Record<string, string>).L1 = key;
  slack = await startSlackEmulator();
  // Slack's own client, as the bot makes it: it waits out Retry-After itself (in real seconds).
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
  const chat = slackIncidentChat(new ChannelQueues(client, silent), { proposals: async () => undefined, attachCard: async () => undefined });
  relay = new OutboxRelay({ store: w.store, clock: w.clock, chat, pager: new PagerDutyEvents({ eventsUrl: pd.url, caFile: pd.caFile, timeoutMs: 2_000 }), policy: w.policy, holder: 'relay', log: silent });
});
afterAll(async () => {
  await w?.close();
  await pd?.stop();
  await slack?.stop();
});

const subject = (deployment: string) => ({ kind: 'rollout' as const, cluster: 'default', namespace: 'production', deployment, revision: 2 });
const target = (name: string) => ({ cluster: 'default', namespace: 'production', name });

/** Drains the relay every `stepMs` of its clock for `forMs`. */
async function drainFor(forMs: number, stepMs = 5_000): Promise<void> {
  for (let t = 0; t < forMs; t += stepMs) {
    await relay.drain();
    w.clock.advance(stepMs);
  }
}

const accepted = (id: string) => pd.events({ dedupKey: id, status: 202 }).map((e) => e.eventAction);
const threadOf = (incident: IncidentRecord) => slack.thread('C0INCIDENTS', incident.parentTs!).slice(1).map((m) => m.text);

describe('the outbox through PagerDuty and Slack outages', () => {
  it('delivers every page and message once, in order, after minutes of 5xx, 429 and refused connections', async () => {
    const names = ['cart', 'search', 'mail'];
    // One outage of seven minutes: 503s, then 429s (windows are taken in order), then no connection at all.
    pd.failFor('enqueue', { kind: 'status', status: 503 }, 3 * 60_000);
    pd.failFor('enqueue', { kind: 'rate_limited', retryAfterSeconds: 1 }, 5 * 60_000);
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 2);
    const opened: IncidentRecord[] = [];
    for (const name of names) {
      opened.push((await w.incidents.detect({ subject: subject(name), detection: { source: 'watcher', severity: 'critical', summary: `${name}: CrashLoopBackOff` } })).incident);
    }
    await drainFor(60_000);
    for (const i of opened) expect(await w.incidents.act(i.id, { kind: 'acknowledged', by: 'U0ALICE', via: 'slack' })).toMatchObject({ ok: true });
    await drainFor(60_000);
    for (const name of names) await w.incidents.recovered(target(name), 'the rollout completed and its pods are ready');
    slack.failNext('chat.update', { status: 429, retryAfterSeconds: 1 }, 1);
    await drainFor(3 * 60_000);
    await pd.refuseConnections();
    await drainFor(2 * 60_000);
    expect(pd.events({ status: 503 }).length).toBeGreaterThan(3);
    expect(pd.events({ status: 429 }).length).toBeGreaterThan(0);
    expect(pd.events({ status: 202 })).toEqual([]);

    await pd.acceptConnections();
    await drainFor(10 * 60_000, 30_000);
    for (const i of opened) {
      expect(accepted(i.id)).toEqual(['trigger', 'acknowledge', 'resolve']);
      expect((await w.store.listOutbox(i.id)).filter((m) => m.status !== 'delivered')).toEqual([]);
      const incident = (await w.incidents.get(i.id))!;
      expect(incident.resolved?.reason).toBe('recovered');
      expect(threadOf(incident)).toEqual([
        '📟 Paged L1 in PagerDuty: its severity calls for a page.',
        '🙋 U0ALICE took this incident.',
        '✅ Resolved: the rollout recovered (deploy-medic).',
      ]);
      expect(slack.updates('C0INCIDENTS', incident.parentTs!).at(-1)?.text).toMatch(/^Resolved: /);
    }
    expect(slack.messages('C0INCIDENTS').filter((m) => !m.thread_ts || m.thread_ts === m.ts)).toHaveLength(3);
    expect(slack.calls('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(2);
    expect(slack.calls('chat.update').filter((c) => c.status === 429)).toHaveLength(1);
  }, 120_000);
});
