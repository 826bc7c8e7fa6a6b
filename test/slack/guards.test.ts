import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { deploy } from '../helpers/bot-commands.js';
import { visibleText } from '../helpers/slack.js';

let b: BotFixture;
beforeAll(async () => {
  b = await startBot({ sim: { scenarios: ['image-tag-not-found'] } });
});
afterAll(() => b?.stop());

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('request signing', () => {
  it.each([
    ['unsigned', { signature: 'missing' as const }],
    ['wrongly signed', { signature: 'wrong' as const }],
    ['replayed (timestamp six minutes old)', { timestampSec: Math.floor(Date.now() / 1000) - 360 }],
  ])('a %s request gets 401 and nothing runs', async (_t, sign) => {
    const requests = b.sim.sim.requestCount;
    const messages = b.slack.messages('C0PROD').length;
    const ephemerals = b.slack.ephemerals({}).length;
    const r = await b.slack.slashCommand({ command: '/deploy', text: 'status api-server -n production', userId: 'U0ALICE', channelId: 'C0PROD', ...sign });
    expect(r.status).toBe(401);
    await settle();
    expect(b.sim.sim.requestCount).toBe(requests);
    expect(b.slack.messages('C0PROD')).toHaveLength(messages);
    expect(b.slack.ephemerals({})).toHaveLength(ephemerals);
  });
});

describe('authorization from the policy file', () => {
  it('a user who may not read gets an ephemeral refusal, and the cluster sees no request', async () => {
    const requests = b.sim.sim.requestCount;
    const answer = await deploy(b, 'status api-server -n production', 'U0CAROL');
    expect(answer.ephemeral).toBeDefined();
    expect(answer.text).toContain('You may not use /deploy status');
    expect(answer.text).toContain('readers');
    expect(b.sim.sim.requestCount).toBe(requests);
  });

  it('a reader who is not an operator may not propose a rollback', async () => {
    const requests = b.sim.sim.requestCount;
    const answer = await deploy(b, 'rollback api-server -n production', 'U0BOB');
    expect(answer.ephemeral).toBeDefined();
    expect(answer.text).toContain('You may not use /deploy rollback');
    expect(answer.text).toContain('operators');
    expect(b.sim.sim.requestCount).toBe(requests);
  });

  it('an operator may', async () => {
    const answer = await deploy(b, 'rollback api-server -n production', 'U0ALICE');
    expect(answer.text).toContain('Roll production/api-server back from revision 2 to revision 1');
  });

  it('a channel reaches only the namespaces bound to it', async () => {
    const requests = b.sim.sim.requestCount;
    const answer = await deploy(b, 'status api-server -n production', 'U0ALICE', 'C0STAGING');
    expect(answer.text).toContain('namespace "production" is not bound to this channel (bound: staging)');
    const unbound = await deploy(b, 'status api-server -n production', 'U0ALICE', 'C0INCIDENTS');
    expect(unbound.text).toContain('this channel is not bound to a cluster');
    expect(b.sim.sim.requestCount).toBe(requests);
  });
});

describe('bad input gets a helpful ephemeral answer, never a crash or a stack trace', () => {
  it.each([
    ['an unknown subcommand', 'frobnicate api-server', 'unknown subcommand "frobnicate"'],
    ['a missing deployment name', 'status -n production', 'missing the deployment name'],
    ['an invalid deployment name', 'status Bad_Name -n production', 'deployment name "Bad_Name": use lowercase letters'],
    ['an invalid namespace', 'diagnose api-server -n Prod', '--namespace "Prod": use lowercase letters'],
    ['an unknown flag', 'status api-server --colour', "Unknown option '--colour'"],
    ['an unknown deployment', 'status nope -n production', 'deployment "nope" not found in namespace "production"'],
    ['an unknown namespace', 'diagnose api-server -n shop', 'namespace "shop" not found'],
    ['10 kB of text', `status ${'x'.repeat(10_000)}`, 'the limit is 2000'],
    ['unicode', 'status api-sérvér-🚀 -n production', 'deployment name "api-sérvér-🚀"'],
    ['a bad revision', 'rollback api-server -n production --to-revision two', '--to-revision "two": expected a revision number'],
  ])('%s', async (_t, text, problem) => {
    const answer = await deploy(b, text);
    expect(answer.dispatch.status).toBe(200);
    expect(answer.ephemeral, answer.text).toBeDefined();
    expect(answer.text).toContain(problem);
    expect(answer.text).not.toMatch(/\n\s+at /);
    expect(answer.text.length).toBeLessThan(5000);
  });

  it('keeps serving after all of that', async () => {
    const answer = await deploy(b, 'status api-server -n production');
    expect(answer.message).toBeDefined();
    expect(visibleText(answer.message!)).toContain('exceeded its progress deadline');
  });
});

describe('Slack API failures', () => {
  it('a 429 on chat.postMessage is retried after Retry-After and the card arrives', async () => {
    b.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 1);
    const answer = await deploy(b, 'status api-server -n production');
    expect(answer.message).toBeDefined();
    expect(b.slack.calls('chat.postMessage').filter((c) => c.status === 429 || c.error === 'ratelimited').length).toBeGreaterThan(0);
  });

  it('channel_not_found falls back to the response_url, is logged, and the bot keeps serving', async () => {
    b.slack.failNext('chat.postMessage', 'channel_not_found', 1);
    const before = b.logs.length;
    const responses = b.slack.messages('C0PROD').length;
    await b.slack.slashCommand({ command: '/deploy', text: 'status api-server -n production', userId: 'U0ALICE', channelId: 'C0PROD' });
    await b.slack.waitFor(() => b.logs.slice(before).find((l) => String(l.msg).includes('cannot post in the channel')), { timeoutMs: 20_000 });
    await b.slack.waitFor(() => (b.slack.messages('C0PROD').length > responses ? true : undefined), { timeoutMs: 20_000 });
    const next = await deploy(b, 'history api-server -n production');
    expect(next.text).toContain('pipeline #4812');
  });
});
