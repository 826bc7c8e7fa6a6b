import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { BOT_TOKEN, startSlackEmulator } from '../helpers/slack.js';

/** A bare app endpoint that acknowledges with whatever body the test sets. */
async function startAckServer(): Promise<{ url: string; ackBody: { value: string; type: string }; bodies: string[]; close(): Promise<void> }> {
  const ackBody = { value: '', type: 'text/plain' };
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'Content-Type': ackBody.type }).end(ackBody.value);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/slack/events`, ackBody, bodies, close: () => new Promise((r) => server.close(() => r())) };
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

describe('response_url', () => {
  let emulator: SlackEmulator;
  let app: Awaited<ReturnType<typeof startAckServer>>;
  let clockOffsetMs = 0;

  beforeEach(async () => {
    clockOffsetMs = 0;
    app = await startAckServer();
    emulator = await startSlackEmulator({ requestUrl: app.url, now: () => Date.now() + clockOffsetMs });
  });
  afterEach(async () => {
    await emulator.stop();
    await app.close();
  });

  const command = () => emulator.slashCommand({ command: '/deploy', text: 'status', userId: 'U0ALICE', channelId: 'C0PROD' });

  it('posts ephemeral by default and into the channel (or a thread) with in_channel', async () => {
    const { responseUrl, responseUrlId } = await command();
    const first = await post(responseUrl, { text: 'just for you' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    expect(emulator.ephemerals({ userId: 'U0ALICE' }).map((e) => e.text)).toEqual(['just for you']);

    await post(responseUrl, { response_type: 'in_channel', text: 'for everyone' });
    const [shared] = emulator.messages('C0PROD');
    expect(shared).toMatchObject({ text: 'for everyone', bot_id: 'B0MEDIC' });
    await post(responseUrl, { response_type: 'in_channel', text: 'in the thread', thread_ts: shared!.ts });
    expect(emulator.thread('C0PROD', shared!.ts).map((m) => m.text)).toEqual(['for everyone', 'in the thread']);

    expect(emulator.responses(responseUrlId).map((u) => [u.responseType, u.outcome])).toEqual([
      ['ephemeral', 'ephemeral'],
      ['in_channel', 'in_channel'],
      ['in_channel', 'in_channel'],
    ]);
  });

  it("replaces and deletes what the command produced", async () => {
    const { responseUrl } = await command();
    await post(responseUrl, { text: 'Diagnosing…' });
    const [eph] = emulator.ephemerals({ userId: 'U0ALICE' });
    await post(responseUrl, { replace_original: true, text: 'Diagnosis ready', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Diagnosis* ready' } }] });
    expect(emulator.ephemerals({ userId: 'U0ALICE' })).toMatchObject([{ ts: eph!.ts, text: 'Diagnosis ready' }]);
    expect(emulator.updates('C0PROD', eph!.ts).map((v) => v.text)).toEqual(['Diagnosing…', 'Diagnosis ready']);
    await post(responseUrl, { delete_original: true });
    expect(emulator.ephemerals({ userId: 'U0ALICE' })).toEqual([]);
  });

  it('accepts five uses, then answers 404 used_url', async () => {
    const { responseUrl, responseUrlId } = await command();
    for (let i = 1; i <= 5; i++) expect((await post(responseUrl, { text: `update ${i}` })).status).toBe(200);
    const sixth = await post(responseUrl, { text: 'one too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
    expect(emulator.ephemerals({ userId: 'U0ALICE' })).toHaveLength(5);
    expect(emulator.responses(responseUrlId).at(-1)).toMatchObject({ status: 404, error: 'used_url', outcome: 'rejected' });
  });

  it('expires thirty minutes after the interaction', async () => {
    const { responseUrl } = await command();
    clockOffsetMs = 29 * 60_000;
    expect((await post(responseUrl, { text: 'still in time' })).status).toBe(200);
    clockOffsetMs = 31 * 60_000;
    const late = await post(responseUrl, { text: 'too late' });
    expect(late.status).toBe(404);
    expect(await late.json()).toEqual({ ok: false, error: 'expired_url' });
  });

  it('rejects bodies Slack would reject', async () => {
    const { responseUrl } = await command();
    const notJson = await fetch(responseUrl, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hello' });
    expect([notJson.status, await notJson.json()]).toEqual([400, { ok: false, error: 'invalid_payload' }]);
    const empty = await post(responseUrl, {});
    expect([empty.status, await empty.json()]).toEqual([400, { ok: false, error: 'no_text' }]);
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const tooMany = await post(responseUrl, { text: 'x', blocks });
    expect([tooMany.status, await tooMany.json()]).toEqual([400, { ok: false, error: 'invalid_blocks' }]);
    const unknown = await post(`${emulator.url}/response/nope`, { text: 'x' });
    expect(unknown.status).toBe(404);
  });

  it("treats the acknowledgement's body as the command's immediate reply, outside the five uses", async () => {
    app.ackBody.value = 'Got it, checking…';
    const plain = await command();
    expect(emulator.responses(plain.responseUrlId)).toMatchObject([{ via: 'ack', outcome: 'ephemeral' }]);
    expect(emulator.ephemerals({ userId: 'U0ALICE' }).map((e) => e.via)).toEqual(['ack']);
    for (let i = 1; i <= 5; i++) expect((await post(plain.responseUrl, { text: `update ${i}` })).status).toBe(200);

    app.ackBody.value = JSON.stringify({ response_type: 'in_channel', text: 'Rollout of api-server is healthy' });
    app.ackBody.type = 'application/json';
    await command();
    expect(emulator.messages('C0PROD').map((m) => m.text)).toEqual(['Rollout of api-server is healthy']);
  });

  it('replaces or deletes the clicked message through a block_actions response_url', async () => {
    const client = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
    const button = { type: 'button' as const, action_id: 'reject', text: { type: 'plain_text' as const, text: 'Reject' }, value: 'p-1' };
    const posted = await client.chat.postMessage({ channel: 'C0PROD', text: 'Proposal', blocks: [{ type: 'actions' as const, elements: [button] }] });
    // Slack fills in the block_id the app left out.
    expect(emulator.messages('C0PROD')[0]!.blocks![0]!.block_id).toMatch(/^[\w-]{5}$/);

    const click = await emulator.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: posted.ts!, actionId: 'reject' });
    await post(click.responseUrl, { text: 'Only for Bob' });
    expect(emulator.messages('C0PROD')).toHaveLength(1);
    expect(emulator.ephemerals({ userId: 'U0BOB' }).map((e) => e.text)).toEqual(['Only for Bob']);
    await post(click.responseUrl, { delete_original: true });
    expect(emulator.messages('C0PROD')).toEqual([]);
    expect(emulator.updates('C0PROD', posted.ts!).at(-1)).toMatchObject({ via: 'response_url', deleted: true });
  });

  it('a click on an ephemeral leaves the message out of the payload and replaces the ephemeral', async () => {
    const client = new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR });
    const button = { type: 'button' as const, action_id: 'confirm', text: { type: 'plain_text' as const, text: 'Confirm' }, value: 'yes' };
    const { message_ts } = await client.chat.postEphemeral({ channel: 'C0PROD', user: 'U0ALICE', text: 'Sure?', blocks: [{ type: 'actions' as const, elements: [button] }] });
    await expect(emulator.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: message_ts!, actionId: 'confirm' })).rejects.toThrow(/visible only to U0ALICE/);

    const click = await emulator.clickButton({ userId: 'U0ALICE', channelId: 'C0PROD', messageTs: message_ts!, actionId: 'confirm' });
    const payload = JSON.parse(new URLSearchParams(app.bodies.at(-1)).get('payload')!) as Record<string, unknown>;
    expect(payload.container).toEqual({ type: 'message', message_ts, channel_id: 'C0PROD', is_ephemeral: true });
    expect(payload).not.toHaveProperty('message');
    await post(click.responseUrl, { replace_original: true, text: 'Confirmed' });
    expect(emulator.ephemerals({ userId: 'U0ALICE' })).toMatchObject([{ ts: message_ts, text: 'Confirmed' }]);
    expect(emulator.ephemerals({ userId: 'U0ALICE' })[0]!.blocks).toBeUndefined();
  });
});
