import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/ports.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { visibleText } from '../helpers/slack.js';
import { overlaps, startHaWorld, type HaWorld, type Replica } from './world.js';

/**
 * Two replicas on one PostgreSQL database drain the outbox across a PagerDuty outage: three
 * critical alerts page at once (refused: PagerDuty is down), each is taken in Slack (an
 * acknowledge queued behind the trigger), the leader is SIGKILLed mid-outage, the alerts
 * resolve on the other replica (a resolve queued behind both). Once PagerDuty is back, every
 * event arrives once, in order per incident, whichever replica sent it.
 */
const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';
const NAMES = ['cart', 'search', 'mail'];

let h: HaWorld;
let replicas: Replica[];
beforeAll(async () => {
  h = await startHaWorld(
    (pd) => `
channels:
  - {channel: C0INCIDENTS, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
incidents:
  channel: C0INCIDENTS
escalation:
  routingKeys: {L1: ${pd.routingKeys.L1}, L2: ${pd.routingKeys.L2}, L3: ${pd.routingKeys.L3}}
  pageImmediately: [critical]
`,
    { ALERTMANAGER_TOKEN },
  );
  replicas = [await h.replica('medic-a', { serving: true }), await h.replica('medic-b')];
  await h.leader();
}, 120_000);
afterAll(() => h?.stop());

const alert = (name: string, status: 'firing' | 'resolved') => ({
  version: '4',
  groupKey: `{}:{alertname="QueueStuck", service="${name}"}`,
  truncatedAlerts: 0,
  status,
  receiver: 'deploy-medic',
  groupLabels: { alertname: 'QueueStuck' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts: [
    {
      status,
      labels: { alertname: 'QueueStuck', service: name, severity: 'critical' },
      annotations: { summary: `${name}: the queue is stuck` },
      startsAt: '2026-12-03T07:00:00Z',
      endsAt: status === 'resolved' ? '2026-12-03T07:20:00Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: `fp-${name}`,
    },
  ],
});

async function notify(r: Replica, body: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${r.process.port}/webhooks/alertmanager`, { method: 'POST', headers: { Authorization: `Bearer ${ALERTMANAGER_TOKEN}` }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
}

const parentOf = (name: string) => h.w.slack.messages('C0INCIDENTS').find((m) => (!m.thread_ts || m.thread_ts === m.ts) && visibleText(m).includes(name));
const accepted = (id: string) => h.pd.events({ dedupKey: id, status: 202 }).map((e) => e.eventAction);
const openIncidents = async (): Promise<IncidentRecord[]> => (await h.w.store()).listOpenIncidents();
const pagerRows = async (id: string) => (await (await h.w.store()).listOutbox(id)).filter((m) => m.destination === 'pagerduty');

describe('the outbox, two replicas, a PagerDuty outage', () => {
  it('every event once, in order per incident, though the leader died mid-outage', async () => {
    await h.pd.refuseConnections();
    for (const [i, name] of NAMES.entries()) await notify(replicas[i % 2]!, alert(name, 'firing'));
    const parents = await h.w.until('the three incident threads', () => {
      const ps = NAMES.map(parentOf);
      return ps.every(Boolean) ? ps.map((p) => p!) : undefined;
    }, { stepMs: 0 });
    const incidents = await openIncidents();
    expect(incidents).toHaveLength(3);
    for (const [i, p] of parents.entries()) {
      const res = await h.w.slack.clickButton({ userId: 'U0ALICE', channelId: 'C0INCIDENTS', messageTs: p.ts, actionId: ACTION_IDS.incidentAck, requestUrl: replicas[i % 2]!.process.eventsUrl });
      expect(res.status).toBe(200);
    }
    const first = await h.leader();
    // The leader has tried every trigger (refused) and holds the acknowledgements behind them.
    await h.w.until('every trigger tried and every acknowledgement queued', async () => {
      const rows = await Promise.all(incidents.map((i) => pagerRows(i.id)));
      return rows.every((r) => r.length === 2 && r[0]!.attempts > 0 && r.every((m) => m.status === 'pending')) ? true : undefined;
    }, { stepMs: 0 });
    await first.kill();
    const survivor = replicas.find((r) => r !== first)!;
    await h.leader({ other: first });
    for (const name of NAMES) await notify(survivor, alert(name, 'resolved'));
    const attemptsAtTakeover = (await Promise.all(incidents.map((i) => pagerRows(i.id)))).map((r) => r[0]!.attempts);
    await h.w.until('the new leader retrying the triggers', async () => {
      const rows = await Promise.all(incidents.map((i) => pagerRows(i.id)));
      return rows.every((r, i) => r.length === 3 && r[0]!.attempts > attemptsAtTakeover[i]!) ? true : undefined;
    }, { stepMs: 0, timeoutMs: 60_000 });
    expect(h.pd.events({ status: 202 })).toEqual([]);

    await h.pd.acceptConnections();
    await h.w.until('every trigger, acknowledgement and resolve accepted', () => (incidents.every((i) => accepted(i.id).length >= 3) ? true : undefined), { stepMs: 0, timeoutMs: 120_000 });
    for (const i of incidents) {
      expect(accepted(i.id), i.id).toEqual(['trigger', 'acknowledge', 'resolve']);
      expect((await pagerRows(i.id)).map((m) => [m.kind, m.status])).toEqual([['trigger', 'delivered'], ['acknowledge', 'delivered'], ['resolve', 'delivered']]);
    }
    expect(overlaps(h.leadership())).toEqual([]);
  }, 240_000);
});
