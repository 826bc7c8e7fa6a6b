import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { waitForEphemeral, waitForMessage, waitForReply } from '../helpers/slack.js';
import { startEmulatorWithHttpApp, type TestApp } from './bolt-app.js';

describe('Slack emulator with a Bolt app over HTTP', () => {
  let emulator: SlackEmulator;
  let bot: TestApp;
  let stop: () => Promise<void>;
  beforeEach(async () => {
    ({ emulator, bot, stop } = await startEmulatorWithHttpApp());
  });
  afterEach(() => stop());

  it('delivers a signed slash command that Bolt accepts, acks, responds to and threads from', async () => {
    const result = await emulator.slashCommand({ command: '/deploy', text: 'status api-server -n production', userId: 'U0ALICE', channelId: 'C0PROD' });

    expect(result).toMatchObject({ transport: 'http', status: 200, body: '' });
    expect(result.ackMs).toBeGreaterThan(0);
    expect(bot.seen.commands).toEqual([{ command: '/deploy', text: 'status api-server -n production', userId: 'U0ALICE' }]);

    const eph = await waitForEphemeral(emulator, { userId: 'U0ALICE', channelId: 'C0PROD' }, 'Working on');
    expect(eph.via).toBe('response_url');
    const root = await waitForMessage(emulator, 'C0PROD', 'Rollout report');
    const reply = await waitForReply(emulator, 'C0PROD', root.ts, 'ImagePullBackOff');
    expect(reply.thread_ts).toBe(root.ts);
    expect(emulator.thread('C0PROD', root.ts).map((m) => m.text)).toEqual(['Rollout report for status api-server -n production', 'Diagnosis: ImagePullBackOff']);
    // Replies stay out of the channel's history; the root shows the thread's summary.
    expect(emulator.messages('C0PROD')).toHaveLength(1);
    expect(emulator.messages('C0PROD')[0]).toMatchObject({ reply_count: 1, reply_users: ['U0MEDICBOT'], latest_reply: reply.ts });

    const uses = emulator.responses(result.responseUrlId);
    expect(uses).toHaveLength(1);
    expect(uses[0]).toMatchObject({ via: 'response_url', responseType: 'ephemeral', outcome: 'ephemeral', status: 200 });

    // Bolt called auth.test at start-up; the bot's calls are recorded without their tokens.
    expect(emulator.calls('auth.test')[0]).toMatchObject({ ok: true });
    const posts = emulator.calls('chat.postMessage');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.args).toMatchObject({ channel: 'C0PROD', thread_ts: root.ts, text: 'Diagnosis: ImagePullBackOff' });
    expect(JSON.stringify(emulator.calls())).not.toContain('xoxb-');
  });

  it('sends the slash command form fields Slack sends', async () => {
    const seenBodies: unknown[] = [];
    bot.app.use(async ({ body, next }) => {
      seenBodies.push(body);
      await next();
    });
    const result = await emulator.slashCommand({ command: '/deploy', text: 'help', userId: 'U0BOB', channelId: 'C0INCIDENTS' });
    expect(seenBodies[0]).toEqual({
      token: expect.any(String),
      team_id: 'T0MEDIC',
      team_domain: 'deploy-medic',
      channel_id: 'C0INCIDENTS',
      channel_name: 'incidents',
      user_id: 'U0BOB',
      user_name: 'bob',
      command: '/deploy',
      text: 'help',
      api_app_id: 'A0MEDIC',
      is_enterprise_install: 'false',
      response_url: result.responseUrl,
      trigger_id: result.triggerId,
    });
    expect(result.triggerId).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
  });

  it('posts a block_actions click that Bolt routes to the action listener, which replaces the message', async () => {
    await emulator.slashCommand({ command: '/deploy', text: 'rollback api-server', userId: 'U0ALICE', channelId: 'C0PROD' });
    const root = await waitForMessage(emulator, 'C0PROD', 'Rollout report');
    const payloads: unknown[] = [];
    bot.app.use(async ({ body, next }) => {
      payloads.push(body);
      await next();
    });

    const click = await emulator.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: root.ts, actionId: 'approve', value: 'rollback:7' });
    expect(click.status).toBe(200);
    expect(bot.seen.actions).toEqual([{ actionId: 'approve', value: 'rollback:7', userId: 'U0BOB' }]);

    expect(payloads[0]).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0BOB', username: 'bob', name: 'bob', team_id: 'T0MEDIC' },
      api_app_id: 'A0MEDIC',
      container: { type: 'message', message_ts: root.ts, channel_id: 'C0PROD', is_ephemeral: false },
      team: { id: 'T0MEDIC', domain: 'deploy-medic' },
      channel: { id: 'C0PROD', name: 'prod' },
      message: { ts: root.ts, text: root.text },
      response_url: click.responseUrl,
      trigger_id: click.triggerId,
      actions: [{ action_id: 'approve', block_id: 'approval', value: 'rollback:7', type: 'button', style: 'primary', text: { type: 'plain_text', text: 'Approve' } }],
    });

    await emulator.waitFor(() => emulator.updates('C0PROD', root.ts).length === 2, { description: 'the approval replaced the message' });
    const [original, replaced] = emulator.updates('C0PROD', root.ts);
    expect(original).toMatchObject({ via: 'chat.postMessage', text: 'Rollout report for rollback api-server' });
    expect(replaced).toMatchObject({ via: 'response_url', text: 'Approved by <@U0BOB>' });
    expect(replaced!.blocks).toBeUndefined();
    expect(emulator.messages('C0PROD')[0]).toMatchObject({ text: 'Approved by <@U0BOB>', edited: { user: 'U0MEDICBOT' } });
  });

  it('refuses to click a button that is not on the message', async () => {
    await emulator.slashCommand({ command: '/deploy', text: 'x', userId: 'U0ALICE', channelId: 'C0PROD' });
    const root = await waitForMessage(emulator, 'C0PROD', 'Rollout report');
    await expect(emulator.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: root.ts, actionId: 'reject' })).rejects.toThrow(/no button with action_id reject/);
    await expect(emulator.clickButton({ userId: 'U0BOB', channelId: 'C0PROD', messageTs: root.ts, actionId: 'approve', value: 'other' })).rejects.toThrow(/has value/);
  });
});
