import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { deploy } from '../helpers/bot-commands.js';
import { auditKinds, inboxRows, startServeWorld, type ServeProcess, type ServeWorld } from '../helpers/serve-process.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * Two `deploy-medic serve` processes sharing one SQLite file, each receiving
 * Slack requests: Approve clicks of two approvers delivered to the two
 * processes at the same moment, and one click delivered to both, each end in
 * exactly one execution. Nothing but the database is shared between them.
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
  settleSeconds: 2
`;

let w: ServeWorld;
let one: ServeProcess;
let two: ServeProcess;
beforeAll(async () => {
  w = await startServeWorld(POLICY);
  await w.sim.kubectl.ok('create', 'namespace', 'production');
  const bad = ['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.0.1'];
  await makeTwins(w.sim, ['web-a', 'web-b'], [bad]);
  // The first creates and migrates the file; the second opens it as it is.
  one = await w.spawnServing();
  two = await w.spawn();
}, 90_000);
afterAll(() => w?.stop());

const generation = async (name: string) => JSON.parse(await w.sim.kubectl.ok('get', 'deployment', name, '-n', 'production', '-o', 'json')).metadata.generation as number;

async function propose(name: string): Promise<StoredMessage> {
  const answer = await deploy(w, `rollback ${name} -n production`);
  expect(answer.text).toContain(`Roll production/${name} back from revision 2 to revision 1`);
  return answer.message!;
}

const answersTo = (userId: string, from: number) => w.slack.ephemerals({ userId }).slice(from).map(visibleText);

/** One start, one patch, one verification, one finish, one summary in the thread, one new generation. */
async function expectExecutedOnce(name: string, card: StoredMessage, generationBefore: number) {
  await w.untilThreadSays(card.ts, new RegExp(`^Verified: production/${name}`));
  await w.until('the execution-finished audit entry', async () => ((await w.audit(name)).some((e) => e.kind === 'execution-finished') ? true : undefined));
  expect(auditKinds(await w.audit(name))).toMatchObject({ proposed: 1, vote: 1, approved: 1, 'execution-started': 1, 'deployment-result': 1, verification: 1, 'execution-finished': 1 });
  const outcomes = w.slack.thread('C0PROD', card.ts).filter((m) => /^(Not )?[Vv]erified: /.test(m.text));
  expect(outcomes.map((m) => m.text)).toEqual([`Verified: production/${name}`]);
  expect(await generation(name)).toBe(generationBefore + 1);
}

describe('two serve processes on one SQLite file', () => {
  it('two approvers click at the same moment, each click reaching another process: one vote counts, one execution', async () => {
    const card = await propose('web-a');
    const before = await generation('web-a');
    const eph = { bob: w.slack.ephemerals({ userId: 'U0BOB' }).length, carol: w.slack.ephemerals({ userId: 'U0CAROL' }).length };
    const acks = await Promise.all([
      w.slack.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve, requestUrl: one.eventsUrl }),
      w.slack.clickButton({ userId: 'U0CAROL', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve, requestUrl: two.eventsUrl }),
    ]);
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    const answers = await w.slack.waitFor(
      () => {
        const bob = answersTo('U0BOB', eph.bob);
        const carol = answersTo('U0CAROL', eph.carol);
        return bob.length && carol.length ? [...bob, ...carol] : undefined;
      },
      { timeoutMs: 20_000, description: 'both approvers answered' },
    );
    expect(answers.filter((t) => t.includes('Your approval is recorded'))).toHaveLength(1);
    expect(answers.filter((t) => t.includes('Your vote was not counted: this proposal is already'))).toHaveLength(1);
    await expectExecutedOnce('web-a', card, before);
  }, 60_000);

  it('one click delivered to both processes at once: recorded and handled once, one execution', async () => {
    const card = await propose('web-b');
    const before = await generation('web-b');
    const eph = w.slack.ephemerals({ userId: 'U0BOB' }).length;
    const original = w.slack.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve, requestUrl: one.eventsUrl });
    const [first, again] = await Promise.all([original, w.slack.redeliver({ requestUrl: two.eventsUrl })]);
    expect([first.status, again.status]).toEqual([200, 200]);

    await w.slack.waitFor(() => answersTo('U0BOB', eph)[0], { timeoutMs: 20_000, description: "Bob's answer" });
    await expectExecutedOnce('web-b', card, before);
    const rows = inboxRows(w.databaseUrl).filter((r) => r.delivery_id === `trigger:${first.triggerId}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'action', attempts: 1 });
    expect(rows[0]!.handled_at).not.toBeNull();
    expect(answersTo('U0BOB', eph)).toEqual(['Your approval is recorded.\nYour approval is recorded.']);
  }, 60_000);

  it('neither process logged an error (no lost lease, no failed claim) while they shared the work', () => {
    const errors = [one, two].flatMap((p) => p.logs.filter((l) => Number(l.level) >= 50));
    expect(errors).toEqual([]);
  });
});
