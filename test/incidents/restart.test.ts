import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentRecord } from '../../src/ports.js';
import { PagerDutyEmulator } from '../../src/sim/pagerduty/emulator.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { buttonsOf } from '../helpers/bot-commands.js';
import { startServeWorld, type ServeWorld } from '../helpers/serve-process.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * `deploy-medic serve` SIGKILLed mid-incident: one incident's page (its
 * Escalate button) is waiting in the outbox (PagerDuty refuses connections), another's
 * unanswered deadline is armed, both wait for their rollback's approval. A
 * new process on the same store delivers the page, fires the deadline, takes
 * the approval and resolves the incident and its page; each thing happens
 * once and the timeline holds both processes' entries.
 */
const ALERTMANAGER_TOKEN = 'am-token-0123456789abcdef';
let w: ServeWorld;
let pd: PagerDutyEmulator;

beforeAll(async () => {
  pd = await PagerDutyEmulator.start();
  const keys = pd.routingKeys;
  const policy = `
channels:
  - {channel: C0INCIDENTS, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [U0BOB]
approvals:
  settleSeconds: 2
incidents:
  channel: C0INCIDENTS
escalation:
  routingKeys: {L1: ${keys.L1}, L2: ${keys.L2}, L3: ${keys.L3}}
  pageImmediately: []
  unansweredMinutes: 1
`;
  w = await startServeWorld(policy, { ...pd.env(), ALERTMANAGER_TOKEN });
  await w.sim.kubectl.ok('create', 'namespace', 'production');
  await makeTwins(w.sim, ['web-a', 'web-b'], [['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.0.1']]);
}, 60_000);
afterAll(async () => {
  await w?.stop();
  await pd?.stop();
});

const alert = (deployment: string) => ({
  version: '4',
  groupKey: `{}:{alertname="DeploymentFailed", deployment="${deployment}"}`,
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'deploy-medic',
  groupLabels: { alertname: 'DeploymentFailed' },
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'DeploymentFailed', namespace: 'production', deployment, severity: 'warning' },
      annotations: { summary: `Deployment ${deployment} failed` },
      startsAt: '2026-12-03T07:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: `fp-${deployment}`,
    },
  ],
});

const parents = () => w.slack.messages('C0INCIDENTS').filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const proposalCards = (parent: StoredMessage) => w.slack.thread('C0INCIDENTS', parent.ts).filter((m) => buttonsOf(m).some((b) => b.actionId === ACTION_IDS.approve));
const accepted = (id: string) => pd.events({ dedupKey: id, status: 202 }).map((e) => e.eventAction);
const incidentOf = async (deployment: string): Promise<IncidentRecord> =>
  (await (await w.store()).listIncidentsByDeployment({ cluster: 'default', namespace: 'production', name: deployment }))[0]!;
const timelineKinds = async (id: string) => (await (await w.store()).listTimeline(id)).map((e) => e.kind);

describe('deploy-medic serve, SIGKILLed mid-incident', () => {
  it('carries the timeline, the approval, the deadline and the outbox over to the next process', async () => {
    const first = await w.spawnServing();
    await pd.refuseConnections();
    for (const name of ['web-a', 'web-b']) {
      const res = await fetch(`http://127.0.0.1:${first.port}/webhooks/alertmanager`, { method: 'POST', headers: { Authorization: `Bearer ${ALERTMANAGER_TOKEN}` }, body: JSON.stringify(alert(name)) });
      expect(res.status).toBe(200);
    }
    const [a, b] = await w.until('both threads with their proposal cards', () => {
      const ps = ['web-a', 'web-b'].map((n) => parents().find((m) => visibleText(m).includes(`production/${n}`)));
      return ps.every((p) => p && proposalCards(p).length === 1) ? (ps as StoredMessage[]) : undefined;
    });
    const incA = await incidentOf('web-a');
    const incB = await incidentOf('web-b');
    expect((await w.slack.clickButton({ userId: 'U0ALICE', channelId: 'C0INCIDENTS', messageTs: a!.ts, actionId: ACTION_IDS.incidentEscalate })).status).toBe(200);
    // The page is written and waiting for PagerDuty; the deadline is armed for a minute after the opening.
    await w.until('the page to be tried', async () => ((await (await w.store()).listOutbox(incA.id)).some((m) => m.destination === 'pagerduty' && m.status === 'pending' && m.attempts > 0) ? true : undefined));
    expect(incB.unansweredDueAt).toBeDefined();
    await first.kill();

    await pd.acceptConnections();
    await w.spawnServing();
    await w.until('the waiting page', () => (accepted(incA.id).includes('trigger') ? true : undefined), { timeoutMs: 60_000 });
    const click = await w.slack.clickButton({ userId: 'U0BOB', channelId: 'C0INCIDENTS', messageTs: proposalCards(a!)[0]!.ts, actionId: ACTION_IDS.approve });
    expect(click.status).toBe(200);
    await w.until('the rollback verified and the page resolved', () => (accepted(incA.id).includes('resolve') ? true : undefined), { timeoutMs: 90_000 });
    await w.until('the unanswered deadline to page', () => (accepted(incB.id).includes('trigger') ? true : undefined), { stepMs: 0, timeoutMs: 90_000 });

    expect(accepted(incA.id)).toEqual(['trigger', 'resolve']);
    expect(accepted(incB.id)).toEqual(['trigger']);
    expect(parents()).toHaveLength(2);
    // One diagnosis and one proposal card in each thread (the approved card has lost its buttons since).
    for (const p of [a!, b!]) {
      const texts = w.slack.thread('C0INCIDENTS', p.ts).map(visibleText);
      expect(texts.filter((t) => t.includes('Rollback proposed'))).toHaveLength(1);
      expect(texts.filter((t) => /Cluster `default` · collected /.test(t))).toHaveLength(1);
    }
    const kindsA = await timelineKinds(incA.id);
    for (const once of ['opened', 'diagnosed', 'fix-proposed', 'paged', 'fix-approved', 'fix-executed', 'fix-verified', 'resolved']) expect(kindsA.filter((k) => k === once), once).toHaveLength(1);
    expect((await timelineKinds(incB.id)).filter((k) => k === 'paged')).toHaveLength(1);
    expect((await incidentOf('web-a')).resolved?.reason).toBe('fix-verified');
  }, 240_000);
});
