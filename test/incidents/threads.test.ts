import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PagerDutyEmulator } from '../../src/sim/pagerduty/emulator.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { buttonsOf } from '../helpers/bot-commands.js';
import { visibleText } from '../helpers/slack.js';

/**
 * Incident threads end to end: a failing rollout opens exactly one thread in
 * the incidents channel (by the watcher, by Alertmanager, by both, and by a
 * storm of duplicates), with its diagnosis and a rollback proposal; PagerDuty
 * is paged with the incident's dedup_key when nobody acts; the approved
 * rollback resolves the incident and the page.
 */
const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';
let b: BotFixture;
let pd: PagerDutyEmulator;

const policy = (keys: Record<string, string>) => `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production, shop]}
  - {channel: C0INCIDENTS, cluster: default, namespaces: [production, shop]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [S0LEADS]
approvals:
  protectedNamespaces: [production]
  settleSeconds: 10
incidents:
  channel: C0INCIDENTS
  watchNamespaces: [production]
escalation:
  routingKeys: {L1: ${keys.L1}, L2: ${keys.L2}, L3: ${keys.L3}}
  pageImmediately: [critical]
  unansweredMinutes: 10
`;

beforeAll(async () => {
  pd = await PagerDutyEmulator.start();
  b = await startBot({ policy: policy(pd.routingKeys), clockFromSim: true, env: { ...pd.env(), ALERTMANAGER_TOKEN } });
  for (const ns of ['production', 'shop']) await b.sim.kubectl.ok('create', 'namespace', ns);
}, 120_000);
afterAll(async () => {
  await b?.stop();
  await pd?.stop();
});

const parents = () => b.slack.messages('C0INCIDENTS').filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const parentOf = (deployment: string) => parents().filter((m) => visibleText(m).includes(deployment));
const incidentId = (m: StoredMessage) => /inc-[0-9a-f]{10}/.exec(visibleText(m))![0];

/** Moves the cluster (and the bot's clock) until `probe` holds. */
async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, stepMs = 2_000, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    b.sim.sim.advance(stepMs);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function rollOut(ns: string, name: string, badTag: string): Promise<void> {
  await b.sim.kubectl.ok('create', 'deployment', name, '-n', ns, '--replicas=2', '--image=registry.example.com/api-server:v2.0.0');
  await until(`${name} to be available`, async () => JSON.parse(await b.sim.kubectl.ok('get', 'deployment', name, '-n', ns, '-o', 'json')).status?.availableReplicas === 2);
  await b.sim.kubectl.ok('set', 'image', `deployment/${name}`, '-n', ns, `api-server=registry.example.com/api-server:${badTag}`);
}

function alert(ns: string, deployment: string, fingerprint: string, status: 'firing' | 'resolved' = 'firing') {
  return {
    version: '4',
    groupKey: `{}:{alertname="DeploymentFailed", deployment="${deployment}"}`,
    truncatedAlerts: 0,
    status,
    receiver: 'deploy-medic',
    groupLabels: { alertname: 'DeploymentFailed' },
    commonLabels: { alertname: 'DeploymentFailed', namespace: ns, deployment, severity: 'error' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: [
      {
        status,
        labels: { alertname: 'DeploymentFailed', namespace: ns, deployment, severity: 'error' },
        annotations: { summary: `Deployment ${deployment} failed` },
        startsAt: '2026-12-03T07:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.example/graph',
        fingerprint,
      },
    ],
  };
}

const postAlert = (body: unknown, token = ALERTMANAGER_TOKEN) =>
  fetch(`${b.url}/webhooks/alertmanager`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('one incident thread per failing rollout', () => {
  it('the watcher opens one thread with the diagnosis and a rollback proposal', async () => {
    await rollOut('production', 'api', 'v2.0.1');
    const [parent] = await until('the incident thread', () => (parentOf('production/api').length ? parentOf('production/api') : undefined));
    const thread = await until('the diagnosis and the proposal', () => {
      const t = b.slack.thread('C0INCIDENTS', parent!.ts);
      return t.some((m) => visibleText(m).includes('IMAGE_TAG_NOT_FOUND')) && t.some((m) => buttonsOf(m).some((x) => x.actionId === ACTION_IDS.approve)) ? t : undefined;
    });
    expect(thread.map(visibleText).join('\n')).toContain('Roll production/api back from revision 2 to revision 1');
    expect(parentOf('production/api')).toHaveLength(1);
    expect(await (await fetch(`${b.url}/readyz`)).text()).toContain('\nwatcher default: ok\n');
  });

  it('Alertmanager reporting the same rollout merges into that thread; 1,000 duplicates too', async () => {
    const res = await postAlert(alert('production', 'api', 'fp-api'));
    expect(res.status).toBe(200);
    const storm = await Promise.all(Array.from({ length: 1000 }, () => postAlert(alert('production', 'api', 'fp-api'))));
    expect(storm.every((r) => r.status === 200)).toBe(true);
    expect(parentOf('production/api')).toHaveLength(1);
  });

  it('alerts alone for three other deployments open three threads; a bad token is 401, a bad body 400 naming the field', async () => {
    for (const name of ['cart', 'search', 'mail']) {
      await rollOut('shop', name, 'v9.9.9');
      expect((await postAlert(alert('shop', name, `fp-${name}`))).status).toBe(200);
    }
    for (const name of ['cart', 'search', 'mail']) await until(`the ${name} thread`, () => (parentOf(`shop/${name}`).length === 1 ? true : undefined));
    expect((await postAlert(alert('shop', 'cart', 'fp-x'), 'wrong-token-0123456789')).status).toBe(401);
    const bad = await postAlert({ version: '4', groupKey: 'g', status: 'firing', receiver: 'r', alerts: [{ labels: {} }] });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/alerts\.0\.status/);
  });

  it('nobody acted for unansweredMinutes: PagerDuty is triggered with the incident ID as dedup_key, on the rollout level', async () => {
    const id = incidentId(parentOf('production/api')[0]!);
    b.sim.sim.advance(11 * 60_000);
    // The clock stands still now: the proposal in the thread must not expire before the next test approves it.
    const page = await until('the page', () => pd.events({ dedupKey: id }).find((e) => e.eventAction === 'trigger' && e.status === 202), 0);
    expect(page.routingKey).toBe(pd.routingKeys.L1);
    expect((page.body as { payload: { class?: string; component?: string } }).payload).toMatchObject({ class: 'IMAGE_TAG_NOT_FOUND', component: 'api' });
    await until('the page in the thread', () => b.slack.thread('C0INCIDENTS', parentOf('production/api')[0]!.ts).some((m) => /paged|PagerDuty/i.test(visibleText(m))) || undefined, 0);
  });

  it('a rollback approved and verified resolves the incident and the page', async () => {
    const parent = parentOf('production/api')[0]!;
    const id = incidentId(parent);
    const card = b.slack.thread('C0INCIDENTS', parent.ts).find((m) => buttonsOf(m).some((x) => x.actionId === ACTION_IDS.approve))!;
    await b.slack.clickButton({ userId: 'U0CAROL', channelId: 'C0INCIDENTS', messageTs: card.ts, actionId: ACTION_IDS.approve });
    await until('the page to be resolved', () => pd.events({ dedupKey: id }).find((e) => e.eventAction === 'resolve' && e.status === 202), 2_000, 90_000);
    await until('the parent to say Resolved', () => (visibleText(b.slack.messages('C0INCIDENTS').find((m) => m.ts === parent.ts)!).match(/Resolved/) ? true : undefined));
    // The watcher may call the rollout recovered before the execution's verification has finished: wait for its outcome too.
    const metrics = await until('the execution to have its outcome', async () => {
      const text = await (await fetch(`${b.url}/metrics`)).text();
      return /deploy_medic_executions\{action="rollback",outcome="succeeded"\} 1/.test(text) ? text : undefined;
    });
    expect(metrics).toContain('deploy_medic_incidents{phase="resolved"} 1');
    expect(metrics).toContain('deploy_medic_incidents_open 3');
    // Every page the emulator accepted (the four unanswered incidents' triggers, this resolve) is one delivered outbox message.
    const accepted = pd.events({ status: 202 }).length;
    expect(accepted).toBeGreaterThanOrEqual(2);
    expect(metrics).toContain(`deploy_medic_outbox_messages{destination="pagerduty",status="delivered"} ${accepted}`);
    expect(metrics).toMatch(/deploy_medic_diagnoses_total\{outcome="ok",root_cause="IMAGE_TAG_NOT_FOUND"\} [1-9]/);
  });
});
