import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { cardNow, clickForAnswer, specFacts, threadText, untilThreadSays } from '../helpers/approval-flow.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { buttonsOf, deploy, press } from '../helpers/bot-commands.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * Seed 003's multi-service rollback: `/deploy rollback api,frontend,chat`
 * is one proposal and one approval; each deployment is rolled back and
 * verified, and each outcome is shown. chat's previous revision is broken
 * too (it crashes), so its verification fails and the thread offers the
 * next step: a rollback further back.
 */
const POLICY = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [S0LEADS]
approvals:
  protectedNamespaces: [production]
  settleSeconds: 60
`;
const ns = ['-n', 'production'];
const GOOD = 'registry.example.com/api-server:v2.0.0';
const MISSING_TAG = 'registry.example.com/api-server:v2.0.1';
/** Starts, then dies 4 s later with a NullPointerException (the image catalog). */
const CRASHES = 'registry.example.com/pricing-engine:v1.7.0';

let b: BotFixture;
beforeAll(async () => {
  b = await startBot({ policy: POLICY, clockFromSim: true });
  await b.sim.kubectl.ok('create', 'namespace', 'production');
  await makeTwins(b.sim, ['api', 'frontend'], [['set', 'image', 'deployment/NAME', ...ns, `app=${MISSING_TAG}`]]);
  // chat: revision 1 runs, revision 2 crashes, revision 3 names a missing tag.
  await makeTwins(b.sim, ['chat', 'chat-twin'], [
    ['set', 'image', 'deployment/NAME', ...ns, `app=${CRASHES}`],
    ['set', 'image', 'deployment/NAME', ...ns, `app=${MISSING_TAG}`],
  ]);
}, 120_000);
afterAll(() => b?.stop());

describe('/deploy rollback api,frontend,chat -n production', () => {
  let card: StoredMessage;

  it('is one proposal card listing all three, each with its revisions, images and kubectl equivalent', async () => {
    const answer = await deploy(b, 'rollback api,frontend,chat -n production');
    card = answer.message!;
    for (const [name, from, to, image] of [['api', 2, 1, GOOD], ['frontend', 2, 1, GOOD], ['chat', 3, 2, CRASHES]] as const) {
      expect(answer.text).toContain(`Roll production/${name} back from revision ${from} to revision ${to} (${image})`);
      expect(answer.text).toContain(`kubectl rollout undo deployment/${name} -n production --to-revision=${to}`);
    }
    expect(b.slack.messages('C0PROD').filter((m) => /Roll production\//.test(visibleText(m)))).toHaveLength(1);
    expect(buttonsOf(card).map((x) => x.actionId)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject]);
  });

  it('one approval rolls back each, verifies each, and shows each outcome; the one that fails offers the next step', async () => {
    const generation = async (name: string) => (await specFacts(b, name)).generation!;
    const before = { api: await generation('api'), frontend: await generation('frontend'), chat: await generation('chat') };
    expect(visibleText(await clickForAnswer(b, card, ACTION_IDS.approve, 'U0CAROL'))).toContain('Your approval is recorded');
    const outcome = await untilThreadSays(b, card.ts, /Verified: production\/|Not verified: production\//);
    const text = visibleText(outcome);
    expect(text).toContain('Not verified: production/chat');
    expect(text).toMatch(/production\/api\* verified/);
    expect(text).toMatch(/production\/frontend\* verified/);
    expect(text).toMatch(/production\/chat\* failed verification/);
    // Each deployment was rolled back exactly as approved, once.
    expect(await specFacts(b, 'api')).toEqual({ generation: before.api + 1, revision: '3', images: [GOOD] });
    expect(await specFacts(b, 'frontend')).toEqual({ generation: before.frontend + 1, revision: '3', images: [GOOD] });
    expect(await specFacts(b, 'chat')).toEqual({ generation: before.chat + 1, revision: '4', images: [CRASHES] });
    // Progress for each, one message per deployment, updated in place.
    const thread = threadText(b, card.ts);
    for (const name of ['api', 'frontend', 'chat']) expect(thread).toContain(`production/${name}:`);
    expect(buttonsOf(outcome).map((x) => x.text)).toEqual(['Propose rollback to revision 1', 'Diagnose again']);
    expect(text).toContain('escalate to the on-call engineer');
    expect(visibleText(cardNow(b, card.ts))).not.toMatch(/Approve/);
  }, 90_000);

  it('the rollback-further button proposes chat back to revision 1, a card of its own awaiting approval', async () => {
    const outcome = b.slack.thread('C0PROD', card.ts).find((m) => /Not verified: production\/chat/.test(visibleText(m)))!;
    const next = await press(b, outcome, ACTION_IDS.proposeRollback);
    expect(next.text).toContain(`Roll production/chat back from revision 4 to revision 1 (${GOOD})`);
    expect(next.text).toContain('kubectl rollout undo deployment/chat -n production --to-revision=1');
    expect(buttonsOf(next.message!).map((x) => x.actionId)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject]);
  });

  it('the audit of each deployment has the one proposal and its own result', async () => {
    for (const [name, result] of [['api', 'verified'], ['chat', 'failed']] as const) {
      const audit = (await deploy(b, `audit ${name} -n production`)).text;
      expect(audit).toContain(`${name}: patched`);
      expect(audit).toContain(`verification ${result}`);
    }
  });
});
