import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { deploy } from '../helpers/bot-commands.js';
import { auditKinds } from '../helpers/serve-process.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';
import { startHaWorld, type HaWorld, type Replica } from './world.js';

/**
 * Two replicas on one PostgreSQL database, each serving Slack: two approvers' Approve
 * clicks reach the two replicas at the same moment. The database counts one vote and
 * claims one execution; the rollout is patched once, whichever replica leads.
 */
let h: HaWorld;
let one: Replica;
let two: Replica;
beforeAll(async () => {
  h = await startHaWorld(
    () => `
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
`,
  );
  await h.w.sim.kubectl.ok('create', 'namespace', 'production');
  await makeTwins(h.w.sim, ['web-a', 'web-b'], [['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.0.1']]);
  one = await h.replica('medic-a', { serving: true });
  two = await h.replica('medic-b');
  await h.leader();
}, 120_000);
afterAll(() => h?.stop());

const generation = async (name: string) => JSON.parse(await h.w.sim.kubectl.ok('get', 'deployment', name, '-n', 'production', '-o', 'json')).metadata.generation as number;
const answersTo = (userId: string, from: number) => h.w.slack.ephemerals({ userId }).slice(from).map(visibleText);

describe('two replicas on one PostgreSQL database', () => {
  it('two approvers click at the same moment, each click reaching another replica: one vote counts, one execution', async () => {
    const proposed = await deploy(h.w, 'rollback web-a -n production');
    expect(proposed.text).toContain('Roll production/web-a back from revision 2 to revision 1');
    const card = proposed.message!;
    const before = await generation('web-a');
    const eph = { bob: h.w.slack.ephemerals({ userId: 'U0BOB' }).length, carol: h.w.slack.ephemerals({ userId: 'U0CAROL' }).length };
    const acks = await Promise.all([
      h.w.slack.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve, requestUrl: one.process.eventsUrl }),
      h.w.slack.clickButton({ userId: 'U0CAROL', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve, requestUrl: two.process.eventsUrl }),
    ]);
    expect(acks.map((a) => a.status)).toEqual([200, 200]);
    const answers = await h.w.slack.waitFor(
      () => {
        const bob = answersTo('U0BOB', eph.bob);
        const carol = answersTo('U0CAROL', eph.carol);
        return bob.length && carol.length ? [...bob, ...carol] : undefined;
      },
      { timeoutMs: 20_000, description: 'both approvers answered' },
    );
    expect(answers.filter((t) => t.includes('Your approval is recorded'))).toHaveLength(1);
    expect(answers.filter((t) => t.includes('Your vote was not counted: this proposal is already'))).toHaveLength(1);

    await h.w.untilThreadSays(card.ts, /^Verified: production\/web-a/);
    await h.w.until('the execution-finished audit entry', async () => ((await h.w.audit('web-a')).some((e) => e.kind === 'execution-finished') ? true : undefined));
    expect(auditKinds(await h.w.audit('web-a'))).toMatchObject({ proposed: 1, vote: 1, approved: 1, 'execution-started': 1, 'deployment-result': 1, verification: 1, 'execution-finished': 1 });
    expect(h.w.slack.thread('C0PROD', card.ts).filter((m) => /^(Not )?[Vv]erified: /.test(m.text)).map((m) => m.text)).toEqual(['Verified: production/web-a']);
    expect(await generation('web-a')).toBe(before + 1);
  }, 90_000);

  it('one click delivered to both replicas at once: handled once, one execution', async () => {
    const card = (await deploy(h.w, 'rollback web-b -n production')).message!;
    const before = await generation('web-b');
    const original = h.w.slack.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve, requestUrl: one.process.eventsUrl });
    const [first, again] = await Promise.all([original, h.w.slack.redeliver({ requestUrl: two.process.eventsUrl })]);
    expect([first.status, again.status]).toEqual([200, 200]);
    await h.w.untilThreadSays(card.ts, /^Verified: production\/web-b/);
    await h.w.until('the execution-finished audit entry', async () => ((await h.w.audit('web-b')).some((e) => e.kind === 'execution-finished') ? true : undefined));
    expect(auditKinds(await h.w.audit('web-b'))).toMatchObject({ proposed: 1, vote: 1, approved: 1, 'execution-started': 1, 'execution-finished': 1 });
    expect(await generation('web-b')).toBe(before + 1);
  }, 90_000);

  it('neither replica logged an error while they shared the work', () => {
    expect([one, two].flatMap((r) => r.process.logs.filter((l) => Number(l.level) >= 50))).toEqual([]);
  });
});
