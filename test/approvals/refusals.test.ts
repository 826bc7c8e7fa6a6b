import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralMessage, StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS, baseActionId } from '../../src/slack/blocks/actions.js';
import { cardNow, clickForAnswer, eventually, specFacts, threadText, untilThreadSays } from '../helpers/approval-flow.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { buttonsOf, deploy } from '../helpers/bot-commands.js';
import { BOT_TOKEN, visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * Approvals refused with a clear private message and nothing executed: an
 * expired proposal (with a way to propose it again that works), a proposal
 * voided by someone's kubectl, a signed button naming another channel's
 * proposal or no proposal at all, and a Reject that ends it. And the
 * schema warning a rollback proposal carries when the failing revision ran
 * a database migration (seeds 000 and 003).
 */
const POLICY = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production]}
  - {channel: C0STAGING, cluster: default, namespaces: [staging]}
access:
  readers: ["*"]
  operators: [U0ALICE, U0CAROL]
  approvers: [S0LEADS, U0BOB]
approvals:
  protectedNamespaces: [production]
  ttlMinutes: 15
  settleSeconds: 60
`;
const MISSING_TAG = 'registry.example.com/api-server:v2.0.1';

let b: BotFixture;
beforeAll(async () => {
  // crash-migration: production/user-service's revision 2 fails a Flyway migration at start-up.
  b = await startBot({ policy: POLICY, clockFromSim: true, sim: { scenarios: ['crash-migration'] } });
  await b.sim.kubectl.ok('create', 'namespace', 'staging');
  const bad = (ns: string) => ['set', 'image', 'deployment/NAME', '-n', ns, `app=${MISSING_TAG}`];
  await makeTwins(b.sim, ['r-expired', 'r-void'], [bad('production')]);
  await makeTwins(b.sim, ['r-reject', 'r-forged'], [bad('production')]);
}, 120_000);
afterAll(() => b?.stop());

/** The proposal a card's Approve button names (read while it still has one). */
const proposalIdOf = (card: StoredMessage): string => {
  const approve = (card.blocks as Array<{ type: string; elements?: Array<{ action_id?: string; value?: string }> }>)
    .flatMap((x) => (x.type === 'actions' ? (x.elements ?? []) : []))
    .find((e) => e.action_id !== undefined && baseActionId(e.action_id) === ACTION_IDS.approve);
  if (!approve?.value) throw new Error(`no Approve button on ${visibleText(card)}`);
  return approve.value;
};
const ids = new Map<string, string>();
const propose = async (name: string, userId = 'U0ALICE'): Promise<StoredMessage> => {
  const card = (await deploy(b, `rollback ${name} -n production`, userId)).message!;
  ids.set(card.ts, proposalIdOf(card));
  return card;
};
const idOf = (card: StoredMessage) => ids.get(card.ts) ?? proposalIdOf(card);

/** A message in CHANNEL carrying an Approve button whose value we choose, posted with the bot's token as any message would be. */
async function forgedApproveButton(channel: string, value: string): Promise<StoredMessage> {
  const blocks = [{ type: 'actions', elements: [{ type: 'button', action_id: ACTION_IDS.approve, text: { type: 'plain_text', text: 'Approve' }, value }] }];
  const res = await fetch(`${b.slack.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${BOT_TOKEN}`, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ channel, text: 'Approve', blocks }),
  });
  const body = (await res.json()) as { ok: boolean; ts: string; error?: string };
  if (!body.ok) throw new Error(`chat.postMessage: ${body.error}`);
  return b.slack.messages(channel).find((m) => m.ts === body.ts)!;
}

const buttonsOn = (m: EphemeralMessage | StoredMessage) => buttonsOf(m as StoredMessage).map((x) => x.text);

describe('an expired proposal', () => {
  let card: StoredMessage;
  let refusal: EphemeralMessage;

  it('refuses the approval privately, with a button to propose it again; nothing is executed', async () => {
    card = await propose('r-expired');
    const before = await specFacts(b, 'r-expired');
    b.sim.sim.advance(16 * 60_000); // past ttlMinutes on the bot's clock, which is the cluster's
    refusal = await clickForAnswer(b, card, ACTION_IDS.approve, 'U0CAROL');
    expect(visibleText(refusal)).toMatch(/Your vote was not counted: .*expired/);
    expect(buttonsOn(refusal)).toEqual(['Propose it again']);
    expect(await specFacts(b, 'r-expired')).toEqual(before);
  });

  it('"Propose it again" works: a fresh card from the deployment as it is now, approvable and executed', async () => {
    const before = b.slack.messages('C0PROD').length;
    const threadBefore = b.slack.thread('C0PROD', card.ts).length;
    await b.slack.clickButton({ userId: 'U0CAROL', channelId: 'C0PROD', messageTs: refusal.ts, actionId: ACTION_IDS.repropose });
    const fresh = await eventually('the fresh card', () =>
      [...b.slack.messages('C0PROD').slice(before), ...b.slack.thread('C0PROD', card.ts).slice(threadBefore)].find((m) => /Roll production\/r-expired back/.test(visibleText(m)) && buttonsOf(m).length > 0),
    );
    expect(proposalIdOf(fresh)).not.toBe(idOf(card));
    expect(visibleText(fresh)).toContain('Roll production/r-expired back from revision 2 to revision 1');
    expect(visibleText(await clickForAnswer(b, fresh, ACTION_IDS.approve, 'U0BOB'))).toContain('Your approval is recorded');
    const threadTs = fresh.thread_ts ?? fresh.ts;
    await untilThreadSays(b, threadTs, /production\/r-expired\* verified/);
    expect((await specFacts(b, 'r-expired')).revision).toBe('3');
  }, 90_000);
});

describe('a proposal voided by a concurrent kubectl set image', () => {
  it("is not executed: the thread says what changed, the Deployment keeps kubectl's image, a later vote is refused", async () => {
    const card = await propose('r-void');
    await b.sim.kubectl.ok('set', 'image', 'deployment/r-void', '-n', 'production', 'app=registry.example.com/api-server:v2.1.0');
    b.sim.sim.advance(30_000);
    const kubectlDid = await specFacts(b, 'r-void');
    await clickForAnswer(b, card, ACTION_IDS.approve, 'U0CAROL');
    const voided = await eventually('the void notice', () => b.slack.thread('C0PROD', card.ts).find((m) => /approval is void/.test(visibleText(m))));
    expect(visibleText(voided)).toContain(
      'production/r-void changed since the proposal: revision 2 → 3, images registry.example.com/api-server:v2.0.1 → registry.example.com/api-server:v2.1.0',
    );
    expect(visibleText(voided)).toContain('Nothing was changed');
    b.sim.sim.advance(30_000);
    expect(await specFacts(b, 'r-void')).toEqual(kubectlDid);
    expect(kubectlDid.images).toEqual(['registry.example.com/api-server:v2.1.0']);
    expect(threadText(b, card.ts)).not.toMatch(/Verified|patched/);
    // The card no longer offers Approve; a vote through a stale copy of the button is refused privately.
    expect(buttonsOf(cardNow(b, card.ts)).map((x) => x.actionId)).not.toContain(ACTION_IDS.approve);
    const late = await clickForAnswer(b, await forgedApproveButton('C0PROD', idOf(card)), ACTION_IDS.approve, 'U0BOB');
    expect(visibleText(late)).toMatch(/Your vote was not counted: .*(void|superseded|changed)/i);
    expect(buttonsOn(late)).toEqual(['Propose it again']);
  });
});

describe('a signed button whose value names', () => {
  it("another channel's proposal: refused, the proposal there untouched", async () => {
    await b.sim.kubectl.ok('create', 'deployment', 'stage-api', '-n', 'staging', `--image=registry.example.com/api-server:v2.0.0`);
    b.sim.sim.advance(30_000);
    await b.sim.kubectl.ok('set', 'image', 'deployment/stage-api', '-n', 'staging', `api-server=${MISSING_TAG}`);
    b.sim.sim.advance(30_000);
    const staging = (await deploy(b, 'rollback stage-api -n staging', 'U0ALICE', 'C0STAGING')).message!;
    const before = await specFacts(b, 'stage-api', 'staging');
    const forged = await forgedApproveButton('C0PROD', proposalIdOf(staging));
    const answer = await clickForAnswer(b, forged, ACTION_IDS.approve, 'U0CAROL');
    expect(visibleText(answer)).toContain('this proposal belongs to another channel; vote where it was proposed');
    b.sim.sim.advance(30_000);
    expect(await specFacts(b, 'stage-api', 'staging')).toEqual(before);
    expect(buttonsOf(cardNow(b, staging.ts, 'C0STAGING')).map((x) => x.actionId)).toEqual([ACTION_IDS.approve, ACTION_IDS.reject]);
    expect(b.slack.thread('C0STAGING', staging.ts).filter((m) => m.ts !== staging.ts)).toEqual([]);
  });

  it('no proposal at all: refused, nothing executed', async () => {
    const id = randomUUID();
    const before = b.sim.sim.requestCount;
    const answer = await clickForAnswer(b, await forgedApproveButton('C0PROD', id), ACTION_IDS.approve, 'U0CAROL');
    expect(visibleText(answer)).toContain(`there is no proposal ${id}`);
    expect(b.sim.sim.requestCount).toBe(before); // not a single request reached the cluster
  });
});

describe('a Reject by an approver', () => {
  it('ends it: said in the thread and on the card; a later Approve is refused; nothing executed', async () => {
    const card = await propose('r-reject');
    const before = await specFacts(b, 'r-reject');
    expect(visibleText(await clickForAnswer(b, card, ACTION_IDS.reject, 'U0BOB'))).toContain('Your rejection is recorded; nothing will be changed.');
    await eventually('the rejection in the thread', () => b.slack.thread('C0PROD', card.ts).find((m) => /Rejected by <@U0BOB>/.test(visibleText(m))));
    expect(buttonsOf(cardNow(b, card.ts)).map((x) => x.actionId)).not.toContain(ACTION_IDS.approve);
    const late = await clickForAnswer(b, await forgedApproveButton('C0PROD', idOf(card)), ACTION_IDS.approve, 'U0CAROL');
    expect(visibleText(late)).toMatch(/Your vote was not counted: .*reject/i);
    b.sim.sim.advance(30_000);
    expect(await specFacts(b, 'r-reject')).toEqual(before);
  });
});

describe('a rollback over a revision that ran a database migration (seeds 000, 003)', () => {
  it('warns on the card that the schema may already be changed, quoting the Flyway line', async () => {
    b.sim.sim.advance(60_000);
    const card = (await deploy(b, 'rollback user-service -n production')).text;
    expect(card).toContain('Roll production/user-service back from revision 2 to revision 1 (registry.example.com/user-service:v2.9.0)');
    expect(card).toMatch(/ran a database migration \(pod user-service-[a-z0-9-]+, container [a-z-]+: .*Migrating schema .*public.* to version .*3\.0\.0 - add user preferences/);
    expect(card).toContain("The schema may already be changed: run the runbook's migration rollback first if the old code cannot read the new schema.");
  });

  it('and a rollback whose failing revision shows no migration carries no such warning', async () => {
    const card = (await deploy(b, 'rollback r-forged -n production')).text;
    expect(card).toContain('Roll production/r-forged back');
    expect(card).not.toMatch(/migration/i);
  });
});
