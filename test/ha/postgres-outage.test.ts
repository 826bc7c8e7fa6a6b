import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleText } from '../helpers/slack.js';
import { overlaps, startHaWorld, type HaWorld, type Replica } from './world.js';

/**
 * Two replicas, each reaching PostgreSQL through a connection of its own. The leader's is
 * cut: it turns not ready (/readyz names the store), stops its leader work and releases
 * the Lease, and the other replica leads and pages. An alert sent to the cut replica is
 * refused with 503 (so Alertmanager sends it again) rather than lost. When the database
 * comes back the replica is ready again, follows the new leader, and the alert sent again
 * is handled once.
 */
const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';

let h: HaWorld;
let replicas: Replica[];
beforeAll(async () => {
  h = await startHaWorld(
    (pd) => `
incidents:
  channel: C0INCIDENTS
escalation:
  routingKeys: {L1: ${pd.routingKeys.L1}, L2: ${pd.routingKeys.L2}, L3: ${pd.routingKeys.L3}}
  pageImmediately: [critical]
`,
    { ALERTMANAGER_TOKEN },
  );
  replicas = [await h.replica('medic-a', { proxied: true, serving: true }), await h.replica('medic-b', { proxied: true })];
  await h.leader();
}, 120_000);
afterAll(() => h?.stop());

const alert = (name: string) => ({
  version: '4',
  groupKey: `{}:{alertname="QueueStuck", service="${name}"}`,
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'deploy-medic',
  groupLabels: { alertname: 'QueueStuck' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'QueueStuck', service: name, severity: 'critical' },
      annotations: { summary: `${name}: the queue is stuck` },
      startsAt: '2026-12-03T07:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: `fp-${name}`,
    },
  ],
});

const notify = (r: Replica, name: string) =>
  fetch(`http://127.0.0.1:${r.process.port}/webhooks/alertmanager`, { method: 'POST', headers: { Authorization: `Bearer ${ALERTMANAGER_TOKEN}` }, body: JSON.stringify(alert(name)) }).then((res) => res.status);
const parentsOf = (name: string) => h.w.slack.messages('C0INCIDENTS').filter((m) => (!m.thread_ts || m.thread_ts === m.ts) && visibleText(m).includes(name));
const triggers = () => h.pd.events({ status: 202 }).filter((e) => e.eventAction === 'trigger');

describe('PostgreSQL taken away from one replica', () => {
  it('that replica turns not ready and stops leading; the other leads; nothing is lost when the database returns', async () => {
    const first = await h.leader();
    const other = replicas.find((r) => r !== first)!;
    expect((await first.readiness()).status).toBe(200);
    expect(await notify(first, 'before')).toBe(200);
    await h.w.until('the first page', () => (triggers().length === 1 ? true : undefined), { stepMs: 0 });

    first.database!.cut();
    await h.w.until('the cut replica not ready', async () => ((await first.readiness()).status === 503 ? true : undefined), { stepMs: 0 });
    expect((await first.readiness()).text).toMatch(/^store: the PostgreSQL database postgres:\/\/postgres@127\.0\.0\.1:\d+\/medic cannot be reached/m);
    const next = await h.leader({ other: first, timeoutMs: 15_000 });
    expect(next).toBe(other);
    expect(first.process.logs.some((l) => /^stopped leading/.test(String(l.msg)) && /cannot lead/.test(String(l.reason)))).toBe(true);
    expect(await h.leaseHolder()).toBe(other.name);
    expect((await other.readiness()).status).toBe(200);

    // The cut replica cannot record an alert: 503, so Alertmanager sends it again; the other handles its own.
    expect(await notify(first, 'during')).toBe(503);
    expect(await notify(other, 'elsewhere')).toBe(200);
    await h.w.until('the page of the alert the leader took', () => (triggers().length === 2 ? true : undefined), { stepMs: 0 });

    first.database!.restore();
    await h.w.until('the replica ready again', async () => ((await first.readiness()).status === 200 ? true : undefined), { stepMs: 0 });
    // Alertmanager's retry, to the replica that refused it.
    expect(await notify(first, 'during')).toBe(200);
    await h.w.until('the page of the retried alert', () => (triggers().length === 3 ? true : undefined), { stepMs: 0 });
    expect(await h.leaseHolder()).toBe(other.name);
    for (const name of ['before', 'during', 'elsewhere']) expect(parentsOf(name), name).toHaveLength(1);
    expect(new Set(triggers().map((e) => e.dedupKey)).size).toBe(3);
    expect(await (await h.w.store()).listOpenIncidents()).toHaveLength(3);
    expect(overlaps(h.leadership())).toEqual([]);
  }, 180_000);

  it('the server itself stopped: no replica is ready and none leads; restarted, a leader pages what was sent again', async () => {
    const before = await h.leader();
    await h.pg.stop();
    await h.w.until('both replicas not ready', async () => ((await Promise.all(replicas.map((r) => r.readiness()))).every((r) => r.status === 503) ? true : undefined), { stepMs: 0 });
    await h.w.until('the leader to stop leading and release the Lease', async () => (h.leaders().length === 0 && (await h.leaseHolder()) === undefined ? true : undefined), { stepMs: 0 });
    expect(before.process.logs.some((l) => /^stopped leading/.test(String(l.msg)) && /cannot lead/.test(String(l.reason)))).toBe(true);
    expect(await notify(replicas[0]!, 'server-down')).toBe(503);

    await h.pg.start();
    await h.leader({ timeoutMs: 15_000 });
    await h.w.until('both replicas ready again', async () => ((await Promise.all(replicas.map((r) => r.readiness()))).every((r) => r.status === 200) ? true : undefined), { stepMs: 0 });
    expect(await notify(replicas[1]!, 'server-down')).toBe(200);
    await h.w.until('the page of the alert sent again', () => (triggers().length === 4 ? true : undefined), { stepMs: 0 });
    expect(parentsOf('server-down')).toHaveLength(1);
    expect(new Set(triggers().map((e) => e.dedupKey)).size).toBe(4);
    expect(overlaps(h.leadership())).toEqual([]);
  }, 180_000);
});
