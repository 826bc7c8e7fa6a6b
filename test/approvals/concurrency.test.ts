import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/ports.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { openStore } from '../../src/adapters/store/index.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { deploy } from '../helpers/bot-commands.js';
import { auditKinds, inboxRows } from '../helpers/serve-process.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * Exactly one execution however the Approve clicks arrive: two approvers
 * clicking at once when one approval is needed, and one click delivered
 * twice (the identical signed request, at the same moment and again later).
 */
const POLICY = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [U0BOB, U0CAROL]
approvals:
  protectedNamespaces: [production]
  required: 1
  settleSeconds: 30
`;

let b: BotFixture;
beforeAll(async () => {
  b = await startBot({ policy: POLICY, clockFromSim: true });
  await b.sim.kubectl.ok('create', 'namespace', 'production');
  const bad = ['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.0.1'];
  await makeTwins(b.sim, ['web-a', 'web-b'], [bad]);
}, 120_000);
afterAll(() => b?.stop());

const generation = async (name: string) => JSON.parse(await b.sim.kubectl.ok('get', 'deployment', name, '-n', 'production', '-o', 'json')).metadata.generation as number;

async function audit(name: string): Promise<AuditEntry[]> {
  const store = await openStore(b.databaseUrl);
  try {
    return await store.listAudit({ cluster: 'default', namespace: 'production', name });
  } finally {
    await store.close();
  }
}

async function propose(name: string): Promise<StoredMessage> {
  const answer = await deploy(b, `rollback ${name} -n production`);
  expect(answer.text).toContain(`Roll production/${name} back from revision 2 to revision 1`);
  return answer.message!;
}

/** Moves the simulated cluster (and the bot's clock) on until the execution has finished, as its audit says. */
async function untilFinished(name: string, card: StoredMessage): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await audit(name)).some((e) => e.kind === 'execution-finished')) {
    if (Date.now() > deadline) throw new Error(`${name}: the execution did not finish; thread: ${thread(card)}`);
    b.sim.sim.advance(5_000);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const thread = (card: StoredMessage) =>
  b.slack
    .thread('C0PROD', card.ts)
    .filter((m) => m.ts !== card.ts)
    .map(visibleText)
    .join(' | ');

/** One start, one patch, one verification, one finish, one summary in the thread, one new generation. */
async function expectExecutedOnce(name: string, card: StoredMessage, generationBefore: number) {
  expect(auditKinds(await audit(name))).toMatchObject({ proposed: 1, approved: 1, 'execution-started': 1, 'deployment-result': 1, verification: 1, 'execution-finished': 1 });
  const outcomes = b.slack.thread('C0PROD', card.ts).filter((m) => /^(Not )?[Vv]erified: /.test(m.text));
  expect(outcomes.map((m) => m.text)).toEqual([`Verified: production/${name}`]);
  expect(await generation(name)).toBe(generationBefore + 1);
}

const answersTo = (userId: string, from: number) => b.slack.ephemerals({ userId }).slice(from).map(visibleText);

describe('Approve clicks that race or repeat: exactly one execution', () => {
  it('two approvers click Approve at the same moment (one approval needed): one vote counts, one execution', async () => {
    const card = await propose('web-a');
    const before = await generation('web-a');
    const eph = { bob: b.slack.ephemerals({ userId: 'U0BOB' }).length, carol: b.slack.ephemerals({ userId: 'U0CAROL' }).length };
    const click = (userId: string) => b.slack.clickButton({ userId, channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve });
    const acks = await Promise.all([click('U0BOB'), click('U0CAROL')]);
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    const answers = await b.slack.waitFor(
      () => {
        const bob = answersTo('U0BOB', eph.bob);
        const carol = answersTo('U0CAROL', eph.carol);
        return bob.length && carol.length ? [...bob, ...carol] : undefined;
      },
      { timeoutMs: 15_000, description: 'both approvers answered' },
    );
    expect(answers).toHaveLength(2);
    expect(answers.filter((t) => t.includes('Your approval is recorded'))).toHaveLength(1);
    expect(answers.filter((t) => t.includes('Your vote was not counted: this proposal is already'))).toHaveLength(1);

    await untilFinished('web-a', card);
    await expectExecutedOnce('web-a', card, before);
    expect(auditKinds(await audit('web-a')).vote).toBe(1);
  });

  it('one click delivered twice at once, and again after it ran: handled once, one execution', async () => {
    const card = await propose('web-b');
    const before = await generation('web-b');
    const eph = b.slack.ephemerals({ userId: 'U0BOB' }).length;
    const original = b.slack.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve });
    const sent = b.slack.lastDelivery()!;
    const [first, again] = await Promise.all([original, b.slack.redeliver()]);
    expect([first.status, again.status]).toEqual([200, 200]);
    const delivery = `trigger:${first.triggerId}`;
    expect(sent.form).toContain(encodeURIComponent(first.triggerId));

    await b.slack.waitFor(() => answersTo('U0BOB', eph)[0], { timeoutMs: 15_000, description: "Bob's answer" });
    await untilFinished('web-b', card);
    await expectExecutedOnce('web-b', card, before);

    // A late retry of the same request, after everything ran: acknowledged, not handled again.
    expect((await b.slack.redeliver()).status).toBe(200);
    const rows = inboxRows(b.databaseUrl).filter((r) => r.delivery_id === delivery);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'action', attempts: 1 });
    expect(rows[0]!.handled_at).not.toBeNull();
    expect(answersTo('U0BOB', eph)).toEqual(['Your approval is recorded.\nYour approval is recorded.']);
    expect(auditKinds(await audit('web-b')).vote).toBe(1);
  });
});
