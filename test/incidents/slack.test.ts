import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PagerDutyEvents } from '../../src/adapters/pagerduty/events.js';
import { Metrics } from '../../src/http/metrics.js';
import type { IncidentRecord } from '../../src/ports.js';
import { PolicyAccess } from '../../src/services/access.js';
import type { AuditTrail } from '../../src/services/audit.js';
import { OutboxRelay } from '../../src/services/outbox-relay.js';
import type { ProposalView } from '../../src/services/views.js';
import { PagerDutyEmulator } from '../../src/sim/pagerduty/emulator.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { ChannelQueues } from '../../src/slack/channel-queue.js';
import { handleButton } from '../../src/slack/handle-action.js';
import { handleDeployCommand, type SlackDeps } from '../../src/slack/handle-command.js';
import { slackIncidentChat } from '../../src/slack/incident-chat.js';
import type { ReplyChannel } from '../../src/slack/replies.js';
import { BOT_TOKEN, startSlackEmulator, visibleText } from '../helpers/slack.js';
import { SUBJECT, incidentWorld, silent, type IncidentWorld } from './world.js';

/**
 * An incident's Slack side over real HTTP: the parent card and its thread
 * posted by the outbox relay through the IncidentChat to the Slack emulator,
 * Take it and Escalate pressed (the page reaching the PagerDuty emulator),
 * and `/deploy incident` with its note and report.
 */
let emulator: SlackEmulator;
let pd: PagerDutyEmulator;
let client: WebClient;
let w: IncidentWorld;
let relay: OutboxRelay;
let deps: SlackDeps;
const proposals = new Map<string, ProposalView>();
const attached: Array<[string, string]> = [];

/** Answers as the bot would, through the Web API to the emulator: ephemerals to the user, posts and updates in the channel. */
function replyTo(userId: string, channelId: string): ReplyChannel {
  let ts: string | undefined;
  return {
    async ephemeral(m) {
      await client.chat.postEphemeral({ channel: channelId, user: userId, text: m.text, blocks: m.blocks });
    },
    async post(m) {
      ts = (await client.chat.postMessage({ channel: channelId, text: m.text, blocks: m.blocks })).ts;
      return ts;
    },
    async update(m) {
      await client.chat.update({ channel: channelId, ts: ts!, text: m.text, blocks: m.blocks });
      return ts;
    },
  };
}

const lastEphemeral = (userId: string) => visibleText(emulator.ephemerals({ userId }).at(-1)!);
/** The fallback text alone (visibleText adds the blocks' text to it). */
const lastEphemeralText = (userId: string) => emulator.ephemerals({ userId }).at(-1)!.text;
/** What a thread reply shows: its blocks' text. */
const blockText = (m: { blocks?: unknown[] }) => (m.blocks ?? []).map((b) => (b as { text?: { text?: string } }).text?.text ?? '').join('\n');
const threadTexts = (incident: IncidentRecord) => emulator.thread('C0INCIDENTS', incident.parentTs!).slice(1).map(blockText);
const card = (incident: IncidentRecord) => visibleText(emulator.updates('C0INCIDENTS', incident.parentTs!).at(-1) ?? emulator.messages('C0INCIDENTS').find((m) => m.ts === incident.parentTs)!);
const press = (actionId: string, value: string, userId: string) => handleButton(deps, { actionId, value, userId, channelId: 'C0INCIDENTS' }, replyTo(userId, 'C0INCIDENTS'));
const command = (text: string, userId = 'U0BOB', channelId = 'C0PROD') => handleDeployCommand(deps, { text, userId, channelId }, replyTo(userId, channelId));
const current = async (id: string) => (await w.incidents.get(id))!;

beforeAll(async () => {
  emulator = await startSlackEmulator();
  pd = await PagerDutyEmulator.start();
  client = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
  const key = Object.values(pd.routingKeys)[0]!;
  w = await incidentWorld({
    incidents: { channel: 'C0INCIDENTS' },
    access: { readers: ['*'], operators: ['U0ALICE', 'U0BOB'] },
    escalation: { pageImmediately: [], routingKeys: { L1: key, L2: key, L3: key } },
  });
  const chat = slackIncidentChat(new ChannelQueues(client, silent), { proposals: async (id) => proposals.get(id), attachCard: async (id, ts) => void attached.push([id, ts]) });
  const pager = new PagerDutyEvents({ eventsUrl: pd.url, caFile: pd.caFile, timeoutMs: 2_000 });
  relay = new OutboxRelay({ store: w.store, clock: w.clock, chat, pager, policy: w.policy, holder: 'test', log: silent });
  const audit = {} as AuditTrail;
  deps = { services: { incidents: w.incidents, reading: w.reading, approvals: w.approvals, audit }, access: new PolicyAccess(w.policy, { members: async () => [] }, w.clock), policy: w.policy, log: silent, metrics: new Metrics() };
});
afterAll(async () => {
  await w?.close();
  await pd?.stop();
  await emulator?.stop();
});

describe('an incident in Slack', () => {
  let incident: IncidentRecord;

  it('opens with its card in incidents.channel, taken with Take it (once), escalated with Escalate', async () => {
    ({ incident } = await w.incidents.detect({ subject: SUBJECT, detection: { source: 'watcher', severity: 'error', rootCause: 'IMAGE_TAG_NOT_FOUND', summary: 'Image tag v2.0.1 does not exist' } }));
    await relay.drain();
    incident = await current(incident.id);
    expect(incident.parentTs).toBeDefined();
    expect(card(incident)).toContain('🔎 Investigating: production/api-server (revision 4)');
    expect(card(incident)).toContain('*Owner* nobody yet');

    await press('deploy_incident_ack', incident.id, 'U0ALICE');
    expect(lastEphemeralText('U0ALICE')).toBe(`You own incident ${incident.id} now.`);
    await relay.drain();
    expect(threadTexts(incident)).toEqual(['🙋 <@U0ALICE> took this incident.']);
    expect(card(incident)).toContain('*Owner* <@U0ALICE> (took it in Slack');

    await press('deploy_incident_ack', incident.id, 'U0BOB');
    expect(lastEphemeral('U0BOB')).toContain(`⛔ You did not take incident ${incident.id}: <@U0ALICE> already took this incident at 2024-05-01T03:00:00.000Z`);

    await press('deploy_incident_ack', incident.id, 'U0CAROL');
    expect(lastEphemeral('U0CAROL')).toContain('You may not take incidents');
    await press('deploy_incident_escalate', incident.id, 'U0BOB');
    expect(lastEphemeralText('U0BOB')).toBe(`Incident ${incident.id} is escalated; PagerDuty is being paged.`);
    await relay.drain();
    expect(pd.incidents({ dedupKey: incident.id })).toHaveLength(1);
    expect(threadTexts(incident).at(-1)).toBe('📟 Paged *L1* in PagerDuty: someone pressed Escalate.');
    expect(card(incident)).toContain('*Paged* L1 (manual)');

    await press('deploy_incident_ack', 'inc-<nope>', 'U0BOB');
    expect(lastEphemeral('U0BOB')).toMatch(/That button did not work[\s\S]*invalid incident ID/);
  });

  it('puts the proposal card in the thread and keeps its ts; says so when the proposal is gone', async () => {
    const view: ProposalView = {
      cluster: 'default', namespace: 'production', name: 'api-server', id: '0f8fad5b-d9cb-469f-a165-70867728950e', action: 'rollback', requestedBy: 'deploy-medic',
      createdAt: '2024-05-01T03:00:00Z', expiresAt: '2024-05-01T03:15:00Z', status: 'pending', required: 1, approvers: [], fourEyes: true, warnings: [],
      changes: [{ namespace: 'production', name: 'api-server', summary: 'Roll api-server back to revision 3.', fromRevision: 4, toRevision: 3, command: 'kubectl rollout undo deployment/api-server -n production --to-revision=3' }],
    };
    proposals.set(view.id, view);
    const chat = slackIncidentChat(new ChannelQueues(client, silent), { proposals: async (id) => proposals.get(id), attachCard: async (id, ts) => void attached.push([id, ts]) });
    await chat.postInThread(incident, { kind: 'proposal', proposalId: view.id });
    const posted = emulator.thread('C0INCIDENTS', incident.parentTs!).at(-1)!;
    expect(visibleText(posted)).toContain('Rollback proposed: production/api-server');
    expect(attached).toEqual([[view.id, posted.ts]]);
    await chat.postInThread(incident, { kind: 'proposal', proposalId: '11111111-1111-4111-8111-111111111111' });
    expect(threadTexts(incident).at(-1)).toContain('is no longer in the store');
  });

  it('answers /deploy incident: the open ones, one with its timeline, a note, the report', async () => {
    w.clock.advance(12 * 60_000);
    await command('incident');
    expect(lastEphemeral('U0BOB')).toMatch(new RegExp(`Open incidents\\* \\(1\\)[\\s\\S]*${incident.id}\\s+Investigating\\s+error\\s+production/api-server \\(revision 4\\)\\s+12m`));

    await command(`incident ${incident.id}`);
    const shown = lastEphemeral('U0BOB');
    expect(shown).toContain('🔎 Investigating: production/api-server (revision 4)');
    expect(shown).toMatch(/\*Timeline\*[\s\S]*Incident opened[\s\S]*Taken in Slack \(<@U0ALICE>\)[\s\S]*Paged L1 \(manual\) \(<@U0BOB>\)/);

    await command(`incident note ${incident.id} rolled back by hand, watching`);
    expect(lastEphemeral('U0BOB')).toContain('Your note is on incident');
    await relay.drain();
    expect(threadTexts(incident).at(-1)).toBe('📝 <@U0BOB>: rolled back by hand, watching');

    await command(`incident report ${incident.id}`, 'U0BOB', 'C0INCIDENTS');
    const report = emulator.messages('C0INCIDENTS').at(-1)!;
    expect(visibleText(report)).toContain(`📄 Post-incident report: ${incident.id}`);
    expect(visibleText(report)).toMatch(/## Timeline[\s\S]*Note: rolled back by hand, watching \(U0BOB\)[\s\S]*## Root Cause\nIMAGE_TAG_NOT_FOUND[\s\S]*## Impact[\s\S]*## Action Items/);

    await command('incident inc-ffffffffff');
    expect(lastEphemeral('U0BOB')).toMatch(/No such incident[\s\S]*There is no incident inc-ffffffffff/);
    await command('incident note inc-zz text');
    expect(lastEphemeral('U0BOB')).toMatch(/invalid incident ID/);
    await command(`incident note ${incident.id}`);
    expect(lastEphemeral('U0BOB')).toMatch(/missing the TEXT/);
  });
});
