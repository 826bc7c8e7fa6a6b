import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { ACTION_IDS } from '../../src/slack/blocks/actions.js';
import { clickForAnswer, eventually, specFacts, threadText, untilThreadSays } from '../helpers/approval-flow.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { deploy } from '../helpers/bot-commands.js';
import { KubeRequestLog } from '../helpers/kube-requests.js';
import { visibleText } from '../helpers/slack.js';
import { makeTwins } from '../helpers/twins.js';

/**
 * Kubernetes API faults while an approved rollback executes, injected
 * through the simulator's /_sim/v1/faults: each ends in a clear message in
 * the proposal's thread, the Deployment either patched exactly once or
 * untouched, and a PATCH sent again only after a fresh read showed it safe.
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

const requests = new KubeRequestLog();
let b: BotFixture;

beforeAll(async () => {
  b = await startBot({ policy: POLICY, clockFromSim: true, sim: { log: requests.logger } });
  await b.sim.kubectl.ok('create', 'namespace', 'production');
  // Revision 1 runs; revision 2 names a tag the registry does not have.
  const bad = ['set', 'image', 'deployment/NAME', '-n', 'production', 'app=registry.example.com/api-server:v2.0.1'];
  await makeTwins(b.sim, ['f-503', 'f-500'], [bad]);
  await makeTwins(b.sim, ['f-timeout', 'f-409'], [bad]);
  await makeTwins(b.sim, ['f-race', 'f-get'], [bad]);
}, 120_000);
afterEach(() => fault('DELETE'));
afterAll(() => b?.stop());

async function fault(method: 'POST' | 'DELETE', rule?: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${b.sim.sim.url}/_sim/v1/faults`, { method, ...(rule ? { body: JSON.stringify(rule), headers: { 'Content-Type': 'application/json' } } : {}) });
  if (!res.ok) throw new Error(`fault ${method}: ${res.status} ${await res.text()}`);
}
const deploymentPath = (name: string) => `/namespaces/production/deployments/${name}$`;

/** Alice proposes rolling NAME back; the card. */
async function propose(name: string): Promise<StoredMessage> {
  const answer = await deploy(b, `rollback ${name} -n production`);
  expect(answer.text).toContain(`Roll production/${name} back from revision 2 to revision 1`);
  return answer.message!;
}

/** Carol (a lead) approves; returns where the request log stood at the click. */
async function approve(card: StoredMessage): Promise<number> {
  const mark = requests.length;
  expect(visibleText(await clickForAnswer(b, card, ACTION_IDS.approve, 'U0CAROL'))).toContain('Your approval is recorded');
  return mark;
}

/** The execution's end, as the thread and the card show it. */
const finished = (card: StoredMessage) => untilThreadSays(b, card.ts, /Verified: production\/|Not verified: production\//);

describe('a 5xx on the PATCH', () => {
  it('answered every time: three attempts, each after a fresh read; the thread says nothing was applied; untouched', async () => {
    const card = await propose('f-503');
    const before = await specFacts(b, 'f-503');
    await fault('POST', { path: deploymentPath('f-503'), method: 'PATCH', status: 503, message: 'etcdserver: request timed out' });
    const mark = await approve(card);
    const outcome = await finished(card);
    expect(visibleText(outcome)).toContain('production/f-503* not changed: the API server kept failing (3 attempts, nothing applied): etcdserver: request timed out');
    expect(await specFacts(b, 'f-503')).toEqual(before);
    // Never two PATCHes in a row: each resend follows a read of the deployment as it is.
    expect(requests.sequence('production', 'f-503', mark)).toMatch(/^(GET )+PATCH GET PATCH GET PATCH GET/);
    expect(threadText(b, card.ts)).not.toMatch(/\* verified/);
  }, 60_000);

  it('answered once: read back unchanged, sent again against the new resourceVersion, applied once and verified', async () => {
    const card = await propose('f-500');
    const before = await specFacts(b, 'f-500');
    await fault('POST', { path: deploymentPath('f-500'), method: 'PATCH', status: 500, times: 1 });
    const mark = await approve(card);
    const outcome = await finished(card);
    expect(visibleText(outcome)).toContain('production/f-500* verified');
    expect(requests.sequence('production', 'f-500', mark)).toMatch(/^(GET )+PATCH GET PATCH( GET)*$/);
    expect(await specFacts(b, 'f-500')).toEqual({ generation: before.generation! + 1, revision: '3', images: ['registry.example.com/api-server:v2.0.0'] });
  }, 60_000);
});

describe('a PATCH that outlives the client timeout (15 s)', () => {
  it('is read back, never sent blindly: the deployment is rolled back exactly once and verified', async () => {
    const card = await propose('f-timeout');
    const before = await specFacts(b, 'f-timeout');
    await fault('POST', { path: deploymentPath('f-timeout'), method: 'PATCH', latencyMs: 15_300, times: 1 });
    const mark = await approve(card);
    const outcome = await untilThreadSays(b, card.ts, /Verified: production\/|Not verified: production\//, { stepMs: 1_000, timeoutMs: 50_000 });
    expect(visibleText(outcome)).toContain('production/f-timeout* verified');
    // The held PATCH may still reach the object (a real apiserver may apply it late): it carries the old resourceVersion's test, so at most one applies.
    const seq = requests.sequence('production', 'f-timeout', mark);
    expect(seq).toMatch(/^(GET )+PATCH GET/);
    const patches = requests.ofDeployment('production', 'f-timeout', mark).filter((r) => r.method === 'PATCH');
    expect(patches.length, seq).toBeLessThanOrEqual(2);
    if (patches.length === 2) expect(seq, 'a second PATCH only after a fresh read').toMatch(/PATCH GET PATCH/);
    expect(await specFacts(b, 'f-timeout')).toEqual({ generation: before.generation! + 1, revision: '3', images: ['registry.example.com/api-server:v2.0.0'] });
    const audit = (await deploy(b, 'audit f-timeout -n production')).text;
    // Either the read-back found our PATCH landed, or found nothing changed and sent it once more against the fresh resourceVersion.
    expect(audit).toMatch(/f-timeout: patched \((applied on attempt 2|applied \(confirmed by reading it back after: .*timed out)/);
  }, 90_000);
});

describe('a 409 on the PATCH', () => {
  it('is never resent blindly: the deployment is read again, found unchanged, and only then patched, once', async () => {
    const card = await propose('f-409');
    const before = await specFacts(b, 'f-409');
    await fault('POST', { path: deploymentPath('f-409'), method: 'PATCH', status: 409, times: 1 });
    const mark = await approve(card);
    const outcome = await finished(card);
    expect(visibleText(outcome)).toContain('production/f-409* verified');
    const seq = requests.sequence('production', 'f-409', mark);
    expect(seq).toMatch(/^(GET )+PATCH GET PATCH( GET)*$/);
    expect(seq).not.toMatch(/PATCH PATCH/);
    expect(await specFacts(b, 'f-409')).toEqual({ generation: before.generation! + 1, revision: '3', images: ['registry.example.com/api-server:v2.0.0'] });
  }, 60_000);

  it("when someone's kubectl changed the spec meanwhile: the precondition fails, nothing of ours is applied, the thread says what changed", async () => {
    const card = await propose('f-race');
    // Held long enough for a kubectl process to start and write on a loaded machine.
    await fault('POST', { path: deploymentPath('f-race'), method: 'PATCH', latencyMs: 6_000, times: 1 });
    const mark = await approve(card);
    // While our PATCH is held up, kubectl sets another image.
    await eventually('the bot\'s PATCH', () => requests.ofDeployment('production', 'f-race', mark).find((r) => r.method === 'PATCH'));
    await b.sim.kubectl.ok('set', 'image', 'deployment/f-race', '-n', 'production', 'app=registry.example.com/api-server:v2.1.0');
    const kubectlDone = await specFacts(b, 'f-race');
    const outcome = await finished(card);
    expect(visibleText(outcome)).toMatch(
      /production\/f-race\* not changed: production\/f-race changed since the proposal: revision 2 → 3, images registry\.example\.com\/api-server:v2\.0\.1 → registry\.example\.com\/api-server:v2\.1\.0.*while the patch was being sent; nothing of ours was applied/,
    );
    b.sim.sim.advance(30_000);
    expect(await specFacts(b, 'f-race')).toEqual(kubectlDone);
    expect(kubectlDone.images).toEqual(['registry.example.com/api-server:v2.1.0']);
    // Two PATCHes reached the server: ours (refused by its resourceVersion test) and kubectl's; none after the read-back.
    expect(requests.ofDeployment('production', 'f-race', mark).filter((r) => r.method === 'PATCH')).toHaveLength(2);
  }, 60_000);
});

describe('a fault on the GET before the patch', () => {
  it('nothing is sent while the deployment cannot be read; the thread says so; the next attempt reads, patches once and verifies', async () => {
    const card = await propose('f-get');
    const before = await specFacts(b, 'f-get');
    await fault('POST', { path: deploymentPath('f-get'), method: 'GET', status: 503, times: 1 });
    const mark = await approve(card);
    const stalled = await eventually('a note that the deployment could not be read', () =>
      b.slack.thread('C0PROD', card.ts).find((m) => /could not read the deployment before patching/.test(visibleText(m))),
    );
    expect(visibleText(stalled)).toContain('the server is currently unable to handle the request');
    expect(visibleText(stalled)).toContain('nothing was changed');
    const outcome = await eventually('the outcome', () => b.slack.thread('C0PROD', card.ts).find((m) => /Verified: production\/f-get/.test(visibleText(m))) ?? (b.sim.sim.advance(5_000), undefined), 40_000);
    expect(visibleText(outcome)).toContain('production/f-get* verified');
    const seq = requests.sequence('production', 'f-get', mark);
    expect(seq).toMatch(/^GET (GET )+PATCH( GET)*$/);
    expect(await specFacts(b, 'f-get')).toEqual({ generation: before.generation! + 1, revision: '3', images: ['registry.example.com/api-server:v2.0.0'] });
  }, 60_000);
});
