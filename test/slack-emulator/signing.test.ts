import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { computeSignature } from '../../src/sim/slack/signing.js';
import { postSigned } from '../helpers/slack.js';
import { startEmulatorWithHttpApp, type TestApp } from './bolt-app.js';

describe('request signing', () => {
  let emulator: SlackEmulator;
  let bot: TestApp;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ emulator, bot, stop } = await startEmulatorWithHttpApp());
  });
  afterAll(() => stop());

  it('computes v0 signatures as Slack documents them', () => {
    // The worked example from Slack's "Verifying requests from Slack" guide.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(computeSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
    const expected = createHmac('sha256', 's').update('v0:1:b').digest('hex');
    expect(computeSignature('s', 1, 'b')).toBe(`v0=${expected}`);
  });

  it.each([
    ['a wrong signature', { signature: 'wrong' as const }],
    ['no signature', { signature: 'missing' as const }],
    ['a replayed request (timestamp over five minutes old)', { timestampSec: Math.floor(Date.now() / 1000) - 301 }],
  ])('Bolt answers 401 to %s and never runs the listener', async (_name, sign) => {
    const before = bot.seen.commands.length;
    const result = await emulator.slashCommand({ command: '/deploy', text: 'status', userId: 'U0ALICE', channelId: 'C0PROD', ...sign });
    expect(result.status).toBe(401);
    expect(bot.seen.commands).toHaveLength(before);
    expect(emulator.ephemerals({ userId: 'U0ALICE' })).toEqual([]);
  });

  it('a correctly signed body posted by hand is accepted', async () => {
    const first = await emulator.slashCommand({ command: '/deploy', text: 'status', userId: 'U0ALICE', channelId: 'C0STAGING' });
    const res = await postSigned(bot.requestUrl!, {
      command: '/deploy',
      text: 'help',
      user_id: 'U0ALICE',
      channel_id: 'C0STAGING',
      team_id: 'T0MEDIC',
      response_url: first.responseUrl,
    });
    expect(res.status).toBe(200);
    expect(bot.seen.commands.at(-1)).toMatchObject({ text: 'help', userId: 'U0ALICE' });
  });
});
