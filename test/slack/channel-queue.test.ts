import { Writable } from 'node:stream';
import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { ChannelQueues } from '../../src/slack/channel-queue.js';
import { BOT_TOKEN, startSlackEmulator } from '../helpers/slack.js';

/** Posts and updates through one channel's queue, against the Slack emulator over HTTP, with its 429s. */
const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const msg = (text: string) => ({ text, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }] });

let emulator: SlackEmulator;
let queues: ChannelQueues;
beforeAll(async () => {
  emulator = await startSlackEmulator();
  queues = new ChannelQueues(new WebClient(BOT_TOKEN, { slackApiUrl: emulator.apiUrl, logLevel: LogLevel.ERROR }), silent);
});
afterAll(() => emulator.stop());

describe('per-channel Slack queue', () => {
  it('keeps a thread in order and loses nothing while Slack answers 429 with Retry-After', async () => {
    const parent = await queues.post('C0PROD', msg('incident'));
    emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 2);
    const posted = await Promise.all(Array.from({ length: 6 }, (_, i) => queues.post('C0PROD', msg(`step ${i}`), parent)));
    expect(posted.every(Boolean)).toBe(true);
    expect(emulator.thread('C0PROD', parent!).slice(1).map((m) => m.text)).toEqual(Array.from({ length: 6 }, (_, i) => `step ${i}`));
    expect(emulator.calls('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(2);
  });

  it('stays within about one call per second per channel after a short burst', async () => {
    const before = emulator.calls('chat.postMessage').length;
    await Promise.all(Array.from({ length: 6 }, (_, i) => queues.post('C0STAGING', msg(`m${i}`))));
    const at = emulator.calls('chat.postMessage').slice(before).filter((c) => c.status === 200).map((c) => c.at);
    expect(at).toHaveLength(6);
    // A burst of three, then one per second: the fourth call comes at least a second after the first.
    for (let i = 3; i < at.length; i++) expect(at[i]! - at[i - 3]!).toBeGreaterThanOrEqual(950);
  });

  it('coalesces updates of one message that are still waiting: only the latest is sent, every caller is answered', async () => {
    const ts = (await queues.post('C0INCIDENTS', msg('v0')))!;
    emulator.failNext('chat.update', { status: 429, retryAfterSeconds: 1 }, 1);
    const first = queues.update('C0INCIDENTS', ts, msg('v1'));
    const rest = [2, 3, 4, 5].map((v) => queues.update('C0INCIDENTS', ts, msg(`v${v}`)));
    await Promise.all([first, ...rest]);
    const versions = emulator.updates('C0INCIDENTS', ts).map((v) => v.text);
    expect(versions.at(-1)).toBe('v5');
    expect(versions.length).toBeLessThanOrEqual(3);
  });

  it('settle: a stopping process waits until what it holds is sent, or says how much is left when Slack does not answer in time', async () => {
    emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 }, 1);
    const sent = Promise.all(['a', 'b', 'c'].map((t) => queues.post('C0PROD', msg(`settle ${t}`))));
    expect(queues.depth()).toBe(3);
    expect(await queues.settle(30_000)).toBe(0);
    // Settled means sent: every post is in the channel already, before its caller hears of it.
    expect(emulator.messages('C0PROD').map((m) => m.text)).toEqual(expect.arrayContaining(['settle a', 'settle b', 'settle c']));
    await sent;

    emulator.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 3 }, 1);
    const held = queues.post('C0STAGING', msg('held'));
    expect(await queues.settle(200)).toBe(1);
    await held;
    expect(await queues.settle(200)).toBe(0);
  });
});
