import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/index.js';
import type { Store } from '../../src/ports.js';
import { PagerDutyEmulator } from '../../src/sim/pagerduty/emulator.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { deploy } from '../helpers/bot-commands.js';
import { visibleText } from '../helpers/slack.js';

/**
 * PagerDuty's side of an incident through the whole bot: a critical alert
 * pages at once; `/deploy incident ID` shows who PagerDuty has on call; the
 * on-call's acknowledgement and note reach the thread through signed v3
 * webhooks from the emulator; a badly signed or replayed delivery changes
 * nothing.
 */
const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';
const WEBHOOK_SECRET = 'pd-webhook-secret-0123456789';
let b: BotFixture;
let pd: PagerDutyEmulator;
let store: Store;

beforeAll(async () => {
  pd = await PagerDutyEmulator.start();
  const keys = pd.routingKeys;
  const policy = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
incidents:
  channel: C0INCIDENTS
escalation:
  routingKeys: {L1: ${keys.L1}, L2: ${keys.L2}, L3: ${keys.L3}}
  pageImmediately: [critical]
`;
  b = await startBot({ policy, env: { ...pd.env(), PAGERDUTY_WEBHOOK_SECRET: WEBHOOK_SECRET, ALERTMANAGER_TOKEN } });
  pd.subscribeWebhooks({ url: `${b.url}/webhooks/pagerduty`, secret: WEBHOOK_SECRET });
  store = await openStore(b.databaseUrl);
}, 120_000);
afterAll(async () => {
  await store?.close();
  await b?.stop();
  await pd?.stop();
});

const alert = {
  version: '4',
  groupKey: '{}:{alertname="NodeDiskFull"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'deploy-medic',
  groupLabels: { alertname: 'NodeDiskFull' },
  commonLabels: { alertname: 'NodeDiskFull', severity: 'critical' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'NodeDiskFull', severity: 'critical', node: 'node-3' },
      annotations: { summary: 'node-3 has 1% disk left' },
      startsAt: '2026-12-03T07:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: 'fp-disk',
    },
  ],
};

let incidentId: string;
let parent: StoredMessage;
const threadText = () => b.slack.thread('C0INCIDENTS', parent.ts).slice(1).map(visibleText).join('\n');
const timelineKinds = async () => (await store.listTimeline(incidentId)).map((e) => e.kind);

describe('PagerDuty and an incident, through the bot', () => {
  it('a critical alert pages at once; /deploy incident ID names who is on call, or says PagerDuty did not', async () => {
    const res = await fetch(`${b.url}/webhooks/alertmanager`, { method: 'POST', headers: { Authorization: `Bearer ${ALERTMANAGER_TOKEN}`, 'Content-Type': 'application/json' }, body: JSON.stringify(alert) });
    expect(res.status).toBe(200);
    parent = await b.slack.waitFor(() => b.slack.messages('C0INCIDENTS').find((m) => !m.thread_ts || m.thread_ts === m.ts), { timeoutMs: 20_000, description: 'the incident card' });
    incidentId = /inc-[0-9a-f]{10}/.exec(visibleText(parent))![0];
    const page = await pd.waitFor(() => pd.incidents({ dedupKey: incidentId })[0], { timeoutMs: 20_000 });
    expect(page.status).toBe('triggered');
    const shown = await deploy(b, `incident ${incidentId}`);
    expect(shown.text).toContain('*On call:* L1 Alice Anders (Primary on-call) · L2 Bob Brown (Secondary on-call)');
    pd.failNext('oncalls', { kind: 'status', status: 503 });
    expect((await deploy(b, `incident ${incidentId}`)).text).toContain('On call: unknown, PagerDuty did not say (PagerDuty answered GET /oncalls with HTTP 503)');
  });

  it('the on-call acknowledging and annotating in PagerDuty shows in the thread, and on the timeline', async () => {
    const [page] = pd.incidents({ dedupKey: incidentId });
    pd.acknowledge(page!.id);
    await b.slack.waitFor(() => (threadText().includes('Alice Anders took this incident in PagerDuty') ? true : undefined), { timeoutMs: 20_000, description: 'the ack in the thread' });
    pd.addNote(page!.id, 'disk cleaned up on node-3');
    await b.slack.waitFor(() => (threadText().includes('PagerDuty: annotated by Alice Anders: disk cleaned up on node-3') ? true : undefined), { timeoutMs: 20_000, description: 'the note in the thread' });
    expect(await timelineKinds()).toEqual(expect.arrayContaining(['acknowledged', 'pager-update']));
    // Taken in PagerDuty: the bot does not send PagerDuty its own acknowledgement back.
    expect(pd.events({ dedupKey: incidentId }).map((e) => e.eventAction)).toEqual(['trigger']);
  });

  it('a badly signed delivery gets 401, a replayed one 200, and neither changes anything', async () => {
    await pd.webhooksIdle();
    const before = await store.listTimeline(incidentId);
    const thread = threadText();
    const delivered = pd.deliveries({ eventType: 'incident.acknowledged' })[0]!;
    const forged = await fetch(`${b.url}/webhooks/pagerduty`, {
      method: 'POST',
      headers: { ...delivered.headers, 'X-PagerDuty-Signature': 'v1=' + '0'.repeat(64) },
      body: delivered.body.replace('acknowledged', 'resolved'),
    });
    expect(forged.status).toBe(401);
    const replay = await pd.replayWebhook(delivered.webhookId);
    expect(replay.attempts.at(-1)?.status).toBe(200);
    expect(await store.listTimeline(incidentId)).toEqual(before);
    expect(threadText()).toBe(thread);
  });
});
