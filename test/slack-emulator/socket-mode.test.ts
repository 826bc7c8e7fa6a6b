import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { APP_TOKEN, startSlackEmulator, waitForEphemeral, waitForMessage, waitForReply } from '../helpers/slack.js';
import { startSocketApp, type TestApp } from './bolt-app.js';

describe('Slack emulator with a Bolt app in Socket Mode', () => {
  let emulator: SlackEmulator;
  let bot: TestApp | undefined;

  beforeEach(async () => {
    emulator = await startSlackEmulator({ appToken: APP_TOKEN });
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await emulator.stop();
  });

  it('fails clearly when no app is connected', async () => {
    await expect(emulator.slashCommand({ command: '/deploy', text: 'status', userId: 'U0ALICE', channelId: 'C0PROD' })).rejects.toThrow(
      /no app is connected/,
    );
  });

  it('connects through apps.connections.open with the app-level token and serves a slash command', async () => {
    bot = await startSocketApp(emulator);
    expect(emulator.socketConnections).toBe(1);
    expect(emulator.calls('apps.connections.open')).toMatchObject([{ ok: true, status: 200 }]);

    const result = await emulator.slashCommand({ command: '/deploy', text: 'status api-server', userId: 'U0ALICE', channelId: 'C0PROD' });
    expect(result).toMatchObject({ transport: 'socket', status: 200 });
    expect(result.ackPayload).toBeUndefined();
    expect(bot.seen.commands).toEqual([{ command: '/deploy', text: 'status api-server', userId: 'U0ALICE' }]);

    await waitForEphemeral(emulator, { userId: 'U0ALICE' }, 'Working on');
    const root = await waitForMessage(emulator, 'C0PROD', 'Rollout report');
    await waitForReply(emulator, 'C0PROD', root.ts, 'ImagePullBackOff');

    const click = await emulator.clickButton({ userId: 'U0CAROL', channelId: 'C0PROD', messageTs: root.ts, actionId: 'approve' });
    expect(click.transport).toBe('socket');
    expect(bot.seen.actions).toEqual([{ actionId: 'approve', value: 'rollback:7', userId: 'U0CAROL' }]);
    await emulator.waitFor(() => emulator.messages('C0PROD')[0]?.text === 'Approved by <@U0CAROL>', { description: 'message replaced' });
  });

  it('returns the ack payload, which is the immediate reply to a command', async () => {
    bot = await startSocketApp(emulator);
    bot.app.command('/medic', async ({ ack }) => {
      await ack({ response_type: 'in_channel', text: 'Medic on duty' });
    });
    const result = await emulator.slashCommand({ command: '/medic', userId: 'U0BOB', channelId: 'C0INCIDENTS' });
    expect(result.ackPayload).toEqual({ response_type: 'in_channel', text: 'Medic on duty' });
    expect(emulator.messages('C0INCIDENTS').map((m) => m.text)).toEqual(['Medic on duty']);
  });

  it('the client reconnects when asked to, and keeps serving', async () => {
    bot = await startSocketApp(emulator);
    emulator.requestSocketReconnect();
    await emulator.waitFor(() => emulator.calls('apps.connections.open').length === 2 && emulator.socketConnections === 1, {
      timeoutMs: 20_000,
      description: 'a second connection',
    });
    const result = await emulator.slashCommand({ command: '/deploy', text: 'after reconnect', userId: 'U0ALICE', channelId: 'C0STAGING' });
    expect(result.transport).toBe('socket');
    await waitForMessage(emulator, 'C0STAGING', 'after reconnect');
  });
});
