import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PagerDutyEvents } from '../../src/adapters/pagerduty/events.js';
import { OutboxRelay } from '../../src/services/outbox-relay.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { ChannelQueues } from '../../src/slack/channel-queue.js';
import { slackIncidentChat } from '../../src/slack/incident-chat.js';
import { BOT_TOKEN, startSlackEmulator } from '../helpers/slack.js';
import { incidentWorld, silent, type IncidentWorld } from './world.js';

/**
 * Stopping the relay before the store closes: a delivery under way is waited
 * for (it would otherwise write to a closed database), and nothing starts
 * after; what is left is delivered by the relay of the next start.
 */
let slack: SlackEmulator;
let w: IncidentWorld;

beforeAll(async () => {
  w = await incidentWorld({ incidents: { channel: 'C0INCIDENTS' } });
  slack = await startSlackEmulator();
});
afterAll(async () => {
  await w?.close();
  await slack?.stop();
});

function relayFor(holder: string): OutboxRelay {
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: slack.apiUrl, logLevel: LogLevel.ERROR });
  const chat = slackIncidentChat(new ChannelQueues(client, silent), { proposals: async () => undefined, attachCard: async () => undefined });
  // No page is due in these tests: PagerDuty is never called.
  const pager = new PagerDutyEvents({ eventsUrl: 'http://127.0.0.1:9/v2/enqueue', timeoutMs: 1_000 });
  return new OutboxRelay({ store: w.store, clock: w.clock, chat, pager, policy: w.policy, holder, log: silent });
}

const open = (deployment: string) =>
  w.incidents.detect({
    subject: { kind: 'rollout', cluster: 'default', namespace: 'production', deployment, revision: 2 },
    detection: { source: 'watcher', severity: 'warning', summary: `${deployment}: CrashLoopBackOff` },
  });
const pending = async (id: string) => (await w.store.listOutbox(id)).filter((m) => m.status !== 'delivered').map((m) => m.kind);

describe('stopping the outbox relay', () => {
  it('waits for the delivery under way, starts none after, and leaves the rest to the next start', async () => {
    const relay = relayFor('first');
    const { incident: cart } = await open('cart');
    const held = slack.hold('chat.postMessage');
    relay.wake();
    await vi.waitFor(() => expect(held.waiting).toBe(1));

    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    // Stop is waiting on the post Slack has not answered: a positive check that it has not returned.
    await new Promise((r) => setImmediate(r));
    expect(stopped).toBe(false);
    held.release();
    await stopping;
    expect(await pending(cart.id)).toEqual([]);
    expect(slack.messages('C0INCIDENTS')).toHaveLength(1);

    // After stop, neither a wake-up nor a drain claims anything.
    const { incident: search } = await open('search');
    relay.wake();
    await relay.stop();
    expect(await relay.drain()).toBe(0);
    expect(await pending(search.id)).toEqual([expect.any(String)]);

    // The next start's relay delivers what was left, once.
    expect(await relayFor('second').drain()).toBeGreaterThan(0);
    expect(await pending(search.id)).toEqual([]);
    expect(slack.messages('C0INCIDENTS').map((m) => m.text)).toEqual([expect.stringContaining('cart'), expect.stringContaining('search')]);
  });
});
