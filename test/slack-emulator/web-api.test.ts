import { ErrorCode, LogLevel, WebClient, WebClientEvent, type WebAPIPlatformError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { APP_TOKEN, BOT_TOKEN, startSlackEmulator } from '../helpers/slack.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** The call's platform error, as WebClient throws it. */
async function platformError(call: Promise<unknown>): Promise<WebAPIPlatformError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: ErrorCode.PlatformError });
  return err as WebAPIPlatformError;
}

describe('Web API through WebClient', () => {
  let emulator: SlackEmulator;
  let client: WebClient;

  beforeAll(async () => {
    emulator = await startSlackEmulator({ appToken: APP_TOKEN });
  });
  beforeEach(() => {
    client = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
  });
  afterAll(() => emulator.stop());

  it('auth.test identifies the bot', async () => {
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      team_id: 'T0MEDIC',
      user_id: 'U0MEDICBOT',
      bot_id: 'B0MEDIC',
      url: 'https://deploy-medic.slack.com/',
      is_enterprise_install: false,
    });
  });

  it('rejects a missing token with not_authed and an unknown one with invalid_auth', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
    expect((await platformError(anonymous.auth.test())).data.error).toBe('not_authed');
    const wrong = new WebClient('xoxb-not-a-real-token', { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
    expect((await platformError(wrong.chat.postMessage({ channel: 'C0PROD', text: 'hi' }))).data.error).toBe('invalid_auth');
    const appLevel = new WebClient(APP_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
    expect((await platformError(appLevel.chat.postMessage({ channel: 'C0PROD', text: 'hi' }))).data.error).toBe('not_allowed_token_type');
    expect((await platformError(client.apps.connections.open())).data.error).toBe('not_allowed_token_type');
  });

  it('returns channel_not_found for an unknown channel as a platform error', async () => {
    const err = await platformError(client.chat.postMessage({ channel: 'C0NOPE', text: 'hello' }));
    expect(err.data).toEqual({ ok: false, error: 'channel_not_found', response_metadata: {} });
    expect(err.message).toBe('An API error occurred: channel_not_found');
  });

  it('posts by channel name and to a user (the app DM), returning ts and the message', async () => {
    const res = await client.chat.postMessage({ channel: '#staging', text: 'deployed' });
    expect(res).toMatchObject({ ok: true, channel: 'C0STAGING', message: { type: 'message', text: 'deployed', bot_id: 'B0MEDIC', user: 'U0MEDICBOT', app_id: 'A0MEDIC' } });
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    const dm = await client.chat.postMessage({ channel: 'U0BOB', text: 'you were paged' });
    expect(dm.channel).toBe('D0BOB');
    expect(emulator.messages('D0BOB').map((m) => m.text)).toEqual(['you were paged']);
  });

  it('retries a 429 after Retry-After and succeeds (default retry policy)', async () => {
    emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    let rateLimited = 0;
    client.on(WebClientEvent.RATE_LIMITED, () => rateLimited++);
    const res = await client.chat.postMessage({ channel: 'C0INCIDENTS', text: 'after the limit' });
    expect(res.ok).toBe(true);
    expect(rateLimited).toBe(1);
    const attempts = emulator.calls('chat.postMessage').filter((c) => c.args.text === 'after the limit');
    expect(attempts.map((c) => [c.status, c.error])).toEqual([[429, 'ratelimited'], [200, undefined]]);
  });

  it('injects a Slack error code for the next calls of one method', async () => {
    emulator.failNext('users.info', 'fatal_error', 2);
    expect((await platformError(client.users.info({ user: 'U0ALICE' }))).data.error).toBe('fatal_error');
    expect((await platformError(client.users.info({ user: 'U0ALICE' }))).data.error).toBe('fatal_error');
    expect((await client.users.info({ user: 'U0ALICE' })).ok).toBe(true);
  });

  it('enforces Block Kit limits with invalid_blocks and Slack-style messages', async () => {
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    const err = await platformError(client.chat.postMessage({ channel: 'C0PROD', text: 'x', blocks: tooMany }));
    expect(err.data).toMatchObject({
      error: 'invalid_blocks',
      errors: ['no more than 50 items allowed [json-pointer:/blocks]'],
      response_metadata: { messages: ['[ERROR] no more than 50 items allowed [json-pointer:/blocks]'] },
    });
    const fifty = Array.from({ length: 50 }, (_, i) => section(`row ${i}`));
    expect((await client.chat.postMessage({ channel: 'C0PROD', text: 'x', blocks: fifty })).ok).toBe(true);

    const longSection = await platformError(client.chat.postMessage({ channel: 'C0PROD', text: 'x', blocks: [section('a'.repeat(3001))] }));
    expect(longSection.data.response_metadata?.messages).toEqual(['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
    expect((await client.chat.postMessage({ channel: 'C0PROD', text: 'x', blocks: [section('a'.repeat(3000))] })).ok).toBe(true);

    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    const longHeader = await platformError(client.chat.postMessage({ channel: 'C0PROD', text: 'x', blocks: [section('ok'), header] }));
    expect(longHeader.data.response_metadata?.messages).toEqual(['[ERROR] must be less than 151 characters [json-pointer:/blocks/1/text/text]']);
  });

  it('rejects text over 40,000 characters with msg_too_long and an empty message with no_text', async () => {
    expect((await platformError(client.chat.postMessage({ channel: 'C0PROD', text: 'a'.repeat(40_001) }))).data.error).toBe('msg_too_long');
    expect((await platformError(client.chat.postMessage({ channel: 'C0PROD', text: '' }))).data.error).toBe('no_text');
  });

  it('rejects a malformed thread_ts but accepts a reply to a message it cannot find, as Slack does', async () => {
    const bad = await platformError(client.chat.postMessage({ channel: 'C0PROD', text: 'x', thread_ts: 'yesterday' }));
    expect(bad.data.error).toBe('invalid_thread_ts');
    const orphan = await client.chat.postMessage({ channel: 'C0PROD', text: 'orphan', thread_ts: '1000000000.000100' });
    expect(orphan.ok).toBe(true);
    expect(emulator.messages('C0PROD').some((m) => m.text === 'orphan')).toBe(false);
  });

  it('chat.update keeps a version history and reports unknown messages', async () => {
    const posted = await client.chat.postMessage({ channel: 'C0INCIDENTS', text: 'Rollback proposed', blocks: [section('*Rollback* proposed')] });
    const updated = await client.chat.update({ channel: 'C0INCIDENTS', ts: posted.ts!, text: 'Rollback approved' });
    expect(updated).toMatchObject({ ok: true, channel: 'C0INCIDENTS', ts: posted.ts, text: 'Rollback approved' });
    // Blocks not sent in the update are kept.
    expect(updated.message?.blocks).toHaveLength(1);
    await client.chat.update({ channel: 'C0INCIDENTS', ts: posted.ts!, text: 'Rollback done', blocks: [] });
    expect(emulator.updates('C0INCIDENTS', posted.ts!).map((v) => [v.via, v.text, v.blocks?.length ?? 0])).toEqual([
      ['chat.postMessage', 'Rollback proposed', 1],
      ['chat.update', 'Rollback approved', 1],
      ['chat.update', 'Rollback done', 0],
    ]);
    expect((await platformError(client.chat.update({ channel: 'C0INCIDENTS', ts: '1.000001', text: 'x' }))).data.error).toBe('message_not_found');
  });

  it('posts ephemerals only to channel members', async () => {
    const res = await client.chat.postEphemeral({ channel: 'C0PROD', user: 'U0CAROL', text: 'only you can see this' });
    expect(res.message_ts).toMatch(/^\d+\.\d+$/);
    expect(emulator.ephemerals({ userId: 'U0CAROL' })).toMatchObject([{ channel: 'C0PROD', text: 'only you can see this', ts: res.message_ts }]);
    expect(emulator.messages('C0PROD').some((m) => m.text === 'only you can see this')).toBe(false);
    expect((await platformError(client.chat.postEphemeral({ channel: 'C0PROD', user: 'U0NOBODY', text: 'x' }))).data.error).toBe('user_not_found');
  });

  it('answers users.info, usergroups.users.list, conversations.info and chat.getPermalink', async () => {
    const { user } = await client.users.info({ user: 'U0BOB' });
    expect(user).toMatchObject({ id: 'U0BOB', name: 'bob', real_name: 'Bob Brown', tz: 'America/New_York', profile: { email: 'bob@example.com' } });
    expect([-18000, -14400]).toContain(user?.tz_offset);
    expect((await platformError(client.users.info({ user: 'U0GHOST' }))).data.error).toBe('user_not_found');

    expect((await client.usergroups.users.list({ usergroup: 'S0LEADS' })).users).toEqual(['U0CAROL']);
    expect((await platformError(client.usergroups.users.list({ usergroup: 'S0NONE' }))).data.error).toBe('no_such_subteam');

    const info = await client.conversations.info({ channel: 'C0PROD', include_num_members: true });
    expect(info.channel).toMatchObject({ id: 'C0PROD', name: 'prod', is_channel: true, is_private: false, is_member: true, num_members: 3 });

    const root = await client.chat.postMessage({ channel: 'C0PROD', text: 'root' });
    const reply = await client.chat.postMessage({ channel: 'C0PROD', text: 'reply', thread_ts: root.ts! });
    const link = await client.chat.getPermalink({ channel: 'C0PROD', message_ts: reply.ts! });
    expect(link.permalink).toBe(`https://deploy-medic.slack.com/archives/C0PROD/p${reply.ts!.replace('.', '')}?thread_ts=${root.ts}&cid=C0PROD`);
  });

  it('hands out a Socket Mode URL for the app-level token only', async () => {
    const appClient = new WebClient(undefined, { slackApiUrl: emulator.apiUrl, headers: { Authorization: `Bearer ${APP_TOKEN}` }, logLevel: LogLevel.ERROR });
    const { url } = await appClient.apps.connections.open();
    expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/link/\\?ticket=[0-9a-f-]{36}&app_id=A0MEDIC$`));
  });

  it('answers raw HTTP like slack.com: unknown methods, JSON bodies, tokens in JSON bodies ignored', async () => {
    const unknown = await fetch(`${emulator.apiUrl}chat.teleport`, { method: 'POST', headers: { Authorization: `Bearer ${BOT_TOKEN}` } });
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toEqual({ ok: false, error: 'unknown_method', req_method: 'chat.teleport' });

    const tokenInJson = await fetch(`${emulator.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token: BOT_TOKEN }),
    });
    expect(await tokenInJson.json()).toEqual({ ok: false, error: 'not_authed' });

    const json = await fetch(`${emulator.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'C0STAGING', text: 'json body', blocks: [section('json body')] }),
    });
    expect(await json.json()).toMatchObject({ ok: true, warning: 'missing_charset', response_metadata: { warnings: ['missing_charset'] } });

    const form = await fetch(`${emulator.apiUrl}auth.test`, { method: 'POST', body: new URLSearchParams({ token: BOT_TOKEN }) });
    expect(await form.json()).toMatchObject({ ok: true, user_id: 'U0MEDICBOT' });
    expect(emulator.calls('auth.test').every((c) => !('token' in c.args))).toBe(true);
  });

  it('shows broadcast thread replies in the channel', async () => {
    const root = await client.chat.postMessage({ channel: 'C0STAGING', text: 'incident opened' });
    await client.chat.postMessage({ channel: 'C0STAGING', text: 'quiet reply', thread_ts: root.ts! });
    await client.chat.postMessage({ channel: 'C0STAGING', text: 'loud reply', thread_ts: root.ts!, reply_broadcast: true });
    const history = emulator.messages('C0STAGING').filter((m) => m.ts >= root.ts!);
    expect(history.map((m) => [m.text, m.subtype])).toEqual([
      ['incident opened', undefined],
      ['loud reply', 'thread_broadcast'],
    ]);
    expect(emulator.thread('C0STAGING', root.ts!)).toHaveLength(3);
  });
});

describe('channel access', () => {
  it('refuses archived channels, channels the bot is not in, and ephemerals to non-members', async () => {
    const emulator = await startSlackEmulator({
      channels: [
        { id: 'C0OLD', name: 'old', isArchived: true },
        { id: 'C0SECRET', name: 'secret', isPrivate: true, botIsMember: false },
        { id: 'C0SMALL', name: 'small', members: ['U0ALICE'] },
      ],
    });
    try {
      const client = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
      expect((await platformError(client.chat.postMessage({ channel: 'C0OLD', text: 'x' }))).data.error).toBe('is_archived');
      expect((await platformError(client.chat.postMessage({ channel: 'C0SECRET', text: 'x' }))).data.error).toBe('not_in_channel');
      expect((await platformError(client.chat.postEphemeral({ channel: 'C0SMALL', user: 'U0BOB', text: 'x' }))).data.error).toBe('user_not_in_channel');
      expect((await client.conversations.info({ channel: 'C0SECRET' })).channel).toMatchObject({ is_private: true, is_member: false });
      await expect(emulator.slashCommand({ command: '/deploy', userId: 'U0BOB', channelId: 'C0SMALL' })).rejects.toThrow(/not a member/);
    } finally {
      await emulator.stop();
    }
  });
});
