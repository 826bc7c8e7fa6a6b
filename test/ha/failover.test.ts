import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/ports.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';
import { LEASE_DURATION_MS, overlaps, RETRY_PERIOD_MS, startHaWorld, type HaWorld } from './world.js';

/**
 * Three replicas on one PostgreSQL database. The leader's watcher opens an incident and
 * arms its unanswered deadline; the leader is SIGKILLed. Another replica takes the Lease
 * within the lease duration plus the retry period, its watcher resumes (the failing rollout
 * it finds again merges into the open incident; a new failure opens a new one), and the
 * deadline the dead leader armed pages once. One leader at a time throughout.
 */
/** Process start-up, loopback HTTP and two cores shared by three replicas: what the takeover bound allows beyond the design's. */
const SCHEDULING_SLACK_MS = 500;

let h: HaWorld;
beforeAll(async () => {
  h = await startHaWorld(
    (pd) => `
channels:
  - {channel: C0INCIDENTS, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [U0BOB]
incidents:
  channel: C0INCIDENTS
  watchNamespaces: [production]
escalation:
  routingKeys: {L1: ${pd.routingKeys.L1}, L2: ${pd.routingKeys.L2}, L3: ${pd.routingKeys.L3}}
  pageImmediately: []
  unansweredMinutes: 1
`,
  );
  await h.w.sim.kubectl.ok('create', 'namespace', 'production');
  await makeTwins(h.w.sim, ['web-a', 'web-b'], []);
}, 120_000);
afterAll(() => h?.stop());

const BAD_IMAGE = 'app=registry.example.com/api-server:v2.0.1';
const parents = () => h.w.slack.messages('C0INCIDENTS').filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const parentOf = (name: string) => parents().filter((m) => visibleText(m).includes(`production/${name}`));
const incidentsOf = async (name: string): Promise<IncidentRecord[]> => (await h.w.store()).listIncidentsByDeployment({ cluster: 'default', namespace: 'production', name });
const accepted = (id: string) => h.pd.events({ dedupKey: id, status: 202 }).map((e) => e.eventAction);

describe('three replicas, the leader SIGKILLed', () => {
  it('another takes over within lease + retry, its watcher resumes without a duplicate incident, the armed deadline pages once', async () => {
    const replicas = [await h.replica('medic-a', { serving: true }), await h.replica('medic-b'), await h.replica('medic-c')];
    const first = await h.leader();
    expect(await h.leaseHolder()).toBe(first.name);

    await h.w.sim.kubectl.ok('set', 'image', 'deployment/web-a', '-n', 'production', BAD_IMAGE);
    await h.w.until('the incident of web-a', () => (parentOf('web-a').length ? true : undefined));
    const [incA] = await incidentsOf('web-a');
    expect(incA!.unansweredDueAt).toBeDefined();
    expect(accepted(incA!.id)).toEqual([]);

    await first.kill();
    const next = await h.leader({ other: first });
    const tookOver = next.process.logs.find((l) => /^became the leader/.test(String(l.msg)) && Number(l.time) > first.killedAt!)!;
    expect(Number(tookOver.time) - first.killedAt!).toBeLessThanOrEqual(LEASE_DURATION_MS + RETRY_PERIOD_MS + SCHEDULING_SLACK_MS);
    expect(await h.leaseHolder()).toBe(next.name);

    // Only the leader watches (its /readyz names its watcher). It lists web-a failing still: merged into the open
    // incident. web-b fails now: a new incident.
    await h.w.until('the new leader watching', async () => ((await next.readiness()).text.includes('watcher default: ok') ? true : undefined), { stepMs: 0 });
    expect((await replicas.find((r) => r !== first && r !== next)!.readiness()).text).not.toContain('watcher');
    await h.w.sim.kubectl.ok('set', 'image', 'deployment/web-b', '-n', 'production', BAD_IMAGE);
    await h.w.until('the incident of web-b', () => (parentOf('web-b').length ? true : undefined));

    // The deadline the dead leader armed falls due a minute after the opening: the new leader pages, once.
    await h.w.until('the unanswered deadline of web-a to page', () => (accepted(incA!.id).includes('trigger') ? true : undefined), { stepMs: 0, timeoutMs: 90_000 });
    expect(accepted(incA!.id)).toEqual(['trigger']);
    expect(await incidentsOf('web-a')).toHaveLength(1);
    expect(await incidentsOf('web-b')).toHaveLength(1);
    expect(parentOf('web-a')).toHaveLength(1);
    expect(parentOf('web-b')).toHaveLength(1);
    const timeline = (await (await h.w.store()).listTimeline(incA!.id)).map((e) => e.kind);
    expect(timeline.filter((k) => k === 'opened')).toHaveLength(1);
    expect(timeline.filter((k) => k === 'paged')).toHaveLength(1);

    expect(overlaps(h.leadership())).toEqual([]);
    expect(replicas.filter((r) => r.killedAt === undefined).map((r) => r.name)).toContain(next.name);
  }, 240_000);
});
