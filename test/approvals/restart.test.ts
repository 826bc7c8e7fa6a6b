import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { deploy } from '../helpers/bot-commands.js';
import { auditKinds, inboxRows, startServeWorld, type ServeWorld } from '../helpers/serve-process.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * Restart safety with real processes: `deploy-medic serve` SIGKILLed while a
 * proposal waits, right after it acked an Approve click, and while it
 * verifies; a new process on the same SQLite file carries on, and the change
 * is made, verified and reported exactly once.
 */
const POLICY = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [U0BOB, S0LEADS]
approvals:
  protectedNamespaces: [production]
  settleSeconds: 2
`;

let w: ServeWorld;
beforeAll(async () => {
  w = await startServeWorld(POLICY);
  await w.sim.kubectl.ok('create', 'namespace', 'production');
  const bad = ['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.0.1'];
  await makeTwins(w.sim, ['web-a', 'web-b'], [bad]);
  await makeTwins(w.sim, ['web-c', 'web-d'], [bad]);
}, 60_000);
afterAll(() => w?.stop());

const generation = async (name: string) => JSON.parse(await w.sim.kubectl.ok('get', 'deployment', name, '-n', 'production', '-o', 'json')).metadata.generation as number;

/** The summary messages an execution posts when it is done ("Verified: …" / "Not verified: …"). */
const outcomeMessages = (card: StoredMessage) => w.slack.thread('C0PROD', card.ts).filter((m) => m.ts !== card.ts && /^(Not )?[Vv]erified: /.test(m.text));

async function propose(name: string): Promise<StoredMessage> {
  const answer = await deploy(w, `rollback ${name} -n production`);
  expect(answer.text).toContain(`Roll production/${name} back from revision 2 to revision 1`);
  return answer.message!;
}

/** Clicks Approve as `userId` (to the emulator's request URL) and waits for the voter's private answer. */
async function approve(card: StoredMessage, userId: string) {
  const before = w.slack.ephemerals({ userId }).length;
  const dispatch = await w.slack.clickButton({ userId, channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve });
  expect(dispatch.status).toBe(200);
  return w.slack.waitFor(() => w.slack.ephemerals({ userId })[before], { timeoutMs: 30_000, description: `${userId}'s answer to Approve` });
}

/** The execution ran once: one start, one patch, one verification, one finish, one summary in the thread, one new generation. */
async function expectExecutedOnce(name: string, card: StoredMessage, generationBefore: number) {
  const finished = await w.until('the execution-finished audit entry', async () => ((await w.audit(name)).some((e) => e.kind === 'execution-finished') ? true : undefined));
  expect(finished).toBe(true);
  const kinds = auditKinds(await w.audit(name));
  expect(kinds).toMatchObject({ proposed: 1, vote: 1, approved: 1, 'execution-started': 1, 'deployment-result': 1, verification: 1, 'execution-finished': 1 });
  const outcomes = outcomeMessages(card);
  expect(outcomes.map((m) => m.text)).toEqual([`Verified: production/${name}`]);
  expect(visibleText(outcomes[0]!)).toContain('no restarts or OOM kills for 2s');
  expect(await generation(name)).toBe(generationBefore + 1);
  const proposal = (await (await w.store()).listProposalsByDeployment({ cluster: 'default', namespace: 'production', name }))[0]!;
  expect(proposal.recordedStatus).toBe('succeeded');
}

describe('deploy-medic serve, SIGKILLed and started again on the same store', () => {
  it('killed between proposal and approval: after restart the buttons work and the approval executes once', async () => {
    const first = await w.spawnServing();
    const card = await propose('web-a');
    const before = await generation('web-a');
    await first.kill();

    const second = await w.spawnServing();
    expect(visibleText(await approve(card, 'U0BOB'))).toContain('Your approval is recorded');
    await w.untilThreadSays(card.ts, /^Verified: production\/web-a/);
    await expectExecutedOnce('web-a', card, before);
    await second.kill();
  }, 90_000);

  it('killed the moment it acked an Approve click: the inbox replays the click after restart, it executes once', async () => {
    const first = await w.spawnServing();
    const card = await propose('web-b');
    const before = await generation('web-b');
    // Carol approves through the S0LEADS group: her vote waits on usergroups.users.list, held here,
    // so the process is certainly killed after its 200 and before the vote is recorded.
    const held = w.slack.hold('usergroups.users.list');
    const dispatch = await w.slack.clickButton({ userId: 'U0CAROL', channelId: 'C0PROD', messageTs: card.ts, actionId: ACTION_IDS.approve });
    await first.kill();
    held.release();
    expect(dispatch.status).toBe(200);

    const proposal = (await (await w.store()).listProposalsByDeployment({ cluster: 'default', namespace: 'production', name: 'web-b' }))[0]!;
    expect(proposal.recordedStatus).toBe('pending');
    expect(proposal.votes).toEqual([]);
    const click = inboxRows(w.databaseUrl).find((r) => r.delivery_id === `trigger:${dispatch.triggerId}`);
    expect(click).toMatchObject({ kind: 'action', handled_at: null });

    const second = await w.spawnServing();
    await second.waitForLog((l) => l.msg === 'handling a request acknowledged before a restart', 'the replay of the acked click', 45_000);
    expect(visibleText(await w.slack.waitFor(() => w.slack.ephemerals({ userId: 'U0CAROL' })[0], { timeoutMs: 30_000, description: "Carol's answer" }))).toContain(
      'Your approval is recorded',
    );
    await w.untilThreadSays(card.ts, /^Verified: production\/web-b/);
    await expectExecutedOnce('web-b', card, before);
    expect(inboxRows(w.databaseUrl).find((r) => r.delivery_id === `trigger:${dispatch.triggerId}`)?.handled_at).not.toBeNull();
    await second.kill();
  }, 90_000);

  it('killed during verification: a new process takes the execution over, resumes the verification and reports it once', async () => {
    const first = await w.spawnServing();
    const card = await propose('web-c');
    const before = await generation('web-c');
    expect(visibleText(await approve(card, 'U0BOB'))).toContain('Your approval is recorded');
    // Patched, and the verification's progress saved (its message in the thread), but the rollout
    // cannot finish: the simulated cluster does not move until the test says so.
    const store = await w.store();
    let saved;
    for (const deadline = Date.now() + 30_000; ; ) {
      saved = (await store.getExecution((await store.listProposalsByDeployment({ cluster: 'default', namespace: 'production', name: 'web-c' }))[0]!.id))?.deployments[0];
      if (saved?.verification?.state === 'running' && saved.verification.detail.messageTs) break;
      if (Date.now() > deadline) throw new Error(`the verification never saved its progress: ${JSON.stringify(saved)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(saved.result?.outcome).toBe('patched');
    await first.kill();
    expect(await generation('web-c')).toBe(before + 1);
    const progressTs = saved.verification.detail.messageTs as string;

    const started = Date.now();
    const second = await w.spawnServing();
    await w.untilThreadSays(card.ts, /^Verified: production\/web-c/, { timeoutMs: 60_000 });
    const tookOver = Date.now() - started;
    await expectExecutedOnce('web-c', card, before);
    // The progress message was updated in place by the new process, not posted again.
    const progress = w.slack.thread('C0PROD', card.ts).filter((m) => m.text.startsWith('production/web-c: '));
    expect(progress.map((m) => m.ts)).toEqual([progressTs]);
    expect(tookOver).toBeLessThan(40_000);
    await second.kill();
  }, 120_000);
});
