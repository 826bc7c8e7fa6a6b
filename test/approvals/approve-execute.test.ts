import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { buttonsOf, deploy } from '../helpers/bot-commands.js';
import { runCli } from '../helpers/cli.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins, twinState } from '../helpers/twins.js';

/**
 * The write path end to end: a failing rollout, a rollback proposed by an
 * operator and approved by someone else, the Deployment left exactly as
 * `kubectl rollout undo` leaves its twin, and "verified" in the thread.
 */
const POLICY = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production]}
  - {channel: C0STAGING, cluster: default, namespaces: [staging]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [U0ALICE, S0LEADS]
approvals:
  protectedNamespaces: [production]
  settleSeconds: 60
`;

let b: BotFixture;
beforeAll(async () => {
  b = await startBot({ policy: POLICY, clockFromSim: true });
  await b.sim.kubectl.ok('create', 'namespace', 'production');
  const bad = ['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.0.1'];
  await makeTwins(b.sim, ['web-a', 'web-b'], [bad]);
}, 120_000);
afterAll(() => b?.stop());

/** Clicks a button of a message as a user and waits until the bot has handled it (its inbox entry is done). */
async function click(m: StoredMessage, actionId: string, userId: string) {
  const eph = b.slack.ephemerals({ userId }).length;
  await b.slack.clickButton({ userId, channelId: 'C0PROD', messageTs: m.ts, actionId });
  return b.slack.waitFor(() => b.slack.ephemerals({ userId })[eph], { description: `${userId}'s answer to ${actionId}` });
}

/** Moves the simulated cluster (and the bot's clock with it) until the thread says `pattern`. */
async function untilThreadSays(threadTs: string, pattern: RegExp, stepMs = 5_000): Promise<StoredMessage> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = b.slack.thread('C0PROD', threadTs).find((m) => pattern.test(visibleText(m)));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no thread message matching ${pattern}: ${b.slack.thread('C0PROD', threadTs).map(visibleText).join(' | ')}`);
    b.sim.sim.advance(stepMs);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const generation = async (name: string) => JSON.parse(await b.sim.kubectl.ok('get', 'deployment', name, '-n', 'production', '-o', 'json')).metadata.generation as number;

describe('rollback: proposed, approved by another, executed as kubectl does, verified', () => {
  let card: StoredMessage;

  it('an operator proposes; the card says what changes and what approval it needs', async () => {
    const answer = await deploy(b, 'rollback web-b -n production');
    card = answer.message!;
    expect(answer.text).toContain('Roll production/web-b back from revision 2 to revision 1 (registry.example.com/api-server:v2.0.0)');
    expect(answer.text).toContain('kubectl rollout undo deployment/web-b -n production --to-revision=1');
    expect(answer.text).toContain('Needs* 1 approval from distinct approvers (protected namespace: not the requester)');
    expect(buttonsOf(card).map((x) => x.actionId)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject]);
  });

  it('refuses the requester (four-eyes) and a non-approver, each privately, and changes nothing', async () => {
    const before = await generation('web-b');
    expect(visibleText(await click(card, ACTION_IDS.approve, 'U0ALICE'))).toContain('you requested this change; in a protected namespace another approver must approve it');
    expect(visibleText(await click(card, ACTION_IDS.approve, 'U0BOB'))).toContain('only approvers may vote');
    expect(await generation('web-b')).toBe(before);
  });

  it('an approver approves: executed, followed, verified in the thread; equal to kubectl rollout undo on the twin', async () => {
    expect(visibleText(await click(card, ACTION_IDS.approve, 'U0CAROL'))).toContain('Your approval is recorded');
    const verified = await untilThreadSays(card.ts, /production\/web-b\* verified/);
    expect(visibleText(verified)).toContain('no restarts or OOM kills for 60s');
    await b.sim.kubectl.ok('rollout', 'undo', 'deployment/web-a', '-n', 'production');
    b.sim.sim.advance(60_000);
    expect(await twinState(b.sim, 'web-b')).toEqual(await twinState(b.sim, 'web-a'));
    const thread = b.slack.thread('C0PROD', card.ts).map(visibleText).join('\n');
    expect(thread).toContain('Approved by <@U0CAROL>');
    // The card is updated through the channel's queue, after the thread's notes.
    const updated = await b.slack.waitFor(() => b.slack.messages('C0PROD').find((m) => m.ts === card.ts && visibleText(m).includes('*Done*')), { description: 'the card to say Done' });
    expect(visibleText(updated)).toContain('*Done*, approved by <@U0CAROL>');
    expect(buttonsOf(updated)).toEqual([]);
  });

  it('the audit trail has every step with who, in Slack and from the CLI', async () => {
    const answer = await deploy(b, 'audit web-b -n production');
    for (const step of ['proposed', 'voted approve', 'approved', 'execution started', 'web-b: patched', 'verification verified', 'execution succeeded']) expect(answer.text).toContain(step);
    const cli = await runCli(['audit', 'web-b', '-n', 'production', '--output', 'json'], { DATABASE_URL: b.databaseUrl });
    expect(cli.code, cli.stderr).toBe(0);
    const kinds = (JSON.parse(cli.stdout) as Array<{ kind: string; actor: string }>).map((e) => `${e.kind}:${e.actor}`);
    expect(kinds).toEqual([
      'proposed:U0ALICE',
      'vote:U0CAROL',
      'approved:U0CAROL',
      'execution-started:deploy-medic',
      'deployment-result:deploy-medic',
      'verification:deploy-medic',
      'execution-finished:deploy-medic',
    ]);
  });
});
