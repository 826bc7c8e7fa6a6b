import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, startSlackEmulator } from '../helpers/slack.js';

/** What the test app's listeners saw, so tests can tell whether a listener ran at all. */
export interface Seen {
  commands: Array<{ command: string; text: string; userId: string }>;
  actions: Array<{ actionId: string; value: string | undefined; userId: string }>;
}

export interface TestApp {
  app: App;
  seen: Seen;
  /** The app's /slack/events URL (HTTP mode only). */
  requestUrl?: string;
  /** Waits for listeners still working after their ack, then stops the app. */
  stop(): Promise<void>;
}

/**
 * A minimal Bolt app shaped like the bot: `/deploy` acks, answers through
 * respond(), and opens a thread with chat.postMessage whose root carries an
 * Approve button; the button replaces its message through the response_url.
 */
function buildApp(app: App): { seen: Seen; idle(): Promise<void> } {
  const seen: Seen = { commands: [], actions: [] };
  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  app.command('/deploy', async ({ ack, respond, client, command }) => {
    seen.commands.push({ command: command.command, text: command.text, userId: command.user_id });
    await ack();
    await respond({ text: `Working on \`${command.text}\`…` });
    const root = await client.chat.postMessage({
      channel: command.channel_id,
      text: `Rollout report for ${command.text}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*Rollout report* for \`${command.text}\`` } },
        {
          type: 'actions',
          block_id: 'approval',
          elements: [{ type: 'button', action_id: 'approve', text: { type: 'plain_text', text: 'Approve' }, value: 'rollback:7', style: 'primary' }],
        },
      ],
    });
    await client.chat.postMessage({ channel: command.channel_id, thread_ts: root.ts!, text: 'Diagnosis: ImagePullBackOff' });
  });
  app.action('approve', async ({ ack, respond, body, action }) => {
    await ack();
    seen.actions.push({ actionId: 'approve', value: 'value' in action ? action.value : undefined, userId: body.user.id });
    await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
  });
  return { seen, idle: async () => void (await Promise.allSettled([...inFlight])) };
}

export async function startHttpApp(emulator: SlackEmulator): Promise<TestApp> {
  const app = new App({
    signingSecret: SIGNING_SECRET,
    token: BOT_TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: emulator.apiUrl },
  });
  const { seen, idle } = buildApp(app);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  const { port } = server.address() as AddressInfo;
  const stop = async (): Promise<void> => {
    await idle();
    await app.stop();
  };
  return { app, seen, requestUrl: `http://127.0.0.1:${port}/slack/events`, stop };
}

/** The same app over Socket Mode: the app-level token opens the connection through the emulator's apps.connections.open. */
export async function startSocketApp(emulator: SlackEmulator): Promise<TestApp> {
  const app = new App({
    socketMode: true,
    appToken: APP_TOKEN,
    token: BOT_TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: emulator.apiUrl },
  });
  const { seen, idle } = buildApp(app);
  await app.start();
  const stop = async (): Promise<void> => {
    await idle();
    await app.stop();
    // Bolt's stop() does not wait for the WebSocket close handshake; wait until the emulator has seen it.
    await emulator.waitFor(() => emulator.socketConnections === 0, { description: 'the app closed its Socket Mode connection' });
  };
  return { app, seen, stop };
}

/** An emulator whose slash commands and clicks go to a fresh HTTP test app. */
export async function startEmulatorWithHttpApp(): Promise<{ emulator: SlackEmulator; bot: TestApp; stop(): Promise<void> }> {
  const emulator = await startSlackEmulator();
  const bot = await startHttpApp(emulator);
  emulator.setRequestUrl(bot.requestUrl!);
  return {
    emulator,
    bot,
    async stop() {
      await bot.stop();
      await emulator.stop();
    },
  };
}
