import { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, webApi, type BlockButtonAction } from '@slack/bolt';
import type { Config } from '../config.js';
import type { Route } from '../http/routes.js';
import type { Logger } from '../log.js';
import { boltLogger } from './bolt-logger.js';
import { handleButton } from './handle-action.js';
import { handleDeployCommand, type SlackDeps } from './handle-command.js';
import type { Inbox } from '../services/inbox.js';
import { AckFirstReceiver } from './receiver.js';
import { replyChannel } from './replies.js';
import { WorkQueue } from './work-queue.js';

/** Requests worked on at once; the rest wait their turn (they are already acked). */
const WORK_CONCURRENCY = 8;

export interface SlackBot {
  app: App;
  /** Whether Slack can reach us: the HTTP listener is up, or the Socket Mode connection is open. */
  ready(): boolean;
  /** Resolves with the HTTP port actually bound (PORT=0 picks a free one). */
  start(): Promise<number>;
  /** Handles what a stopped process acknowledged but never finished (run at start and on every housekeeping tick). */
  replayUnfinished(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Bolt app at the edge: listeners ack at once, then hand the request to
 * handle-command / handle-action. Socket Mode when an app token is set,
 * otherwise HTTP on PORT with /slack/events (AckFirstReceiver); `routes` are
 * served either way.
 */
export function createSlackBot(config: Config, deps: (app: App) => SlackDeps, routes: Route[], log: Logger, inbox: Inbox): SlackBot {
  const { botToken, signingSecret, appToken, apiUrl } = config.slack;
  const common = { token: botToken, clientOptions: { slackApiUrl: apiUrl }, logger: boltLogger(log) };
  const app = appToken
    ? new App({ ...common, socketMode: true, appToken, customRoutes: routes, installerOptions: { port: config.port } })
    : new App({ ...common, receiver: new AckFirstReceiver(signingSecret!, routes, log, (body) => inbox.accept(body)) });
  const d = deps(app);
  const work = new WorkQueue(WORK_CONCURRENCY);
  let started = false;

  // Bolt hands listeners their own WebClient: each one's 429s are counted, like app.client's.
  const counted = new WeakSet<object>();
  const count429s = (client: App['client']) => {
    if (counted.has(client)) return;
    counted.add(client);
    // The event names the call by its URL; the method is its last path segment.
    client.on(webApi.WebClientEvent.RATE_LIMITED, (_retrySeconds: number, call: { url: string }) => d.metrics.slackRateLimited(call.url.slice(call.url.lastIndexOf('/') + 1)));
  };
  count429s(app.client);

  // Socket Mode acks from the listener: the delivery is recorded here first (HTTP records it in the receiver).
  app.use(async (args) => {
    const { context, body } = args;
    count429s(args.client);
    if (context.deliveryId === undefined) {
      const id = await inbox.accept(body as Record<string, unknown>);
      if (!id) return void (await (args as { ack?: () => Promise<void> }).ack?.());
      context.deliveryId = id;
    }
    await args.next();
  });
  // A delivery not marked handled (the store failed) is handled again after a restart: logged, not thrown.
  const handled = (context: Record<string, unknown>) =>
    typeof context.deliveryId === 'string' ? inbox.handled(context.deliveryId).catch((err: unknown) => log.warn({ err, delivery: context.deliveryId }, 'could not mark a delivery handled')) : Promise.resolve();

  // Listeners ack and queue the work; they return at once so Bolt answers Slack within milliseconds.
  app.command('/deploy', async ({ command, ack, respond, client, context }) => {
    await ack();
    const reply = replyChannel({ client, respond, channelId: command.channel_id, log });
    work.run(async () => {
      await handleDeployCommand(d, { text: command.text, userId: command.user_id, channelId: command.channel_id }, reply);
      await handled(context);
    });
  });

  app.action<BlockButtonAction>(/^deploy_/, async ({ action, body, ack, respond, client, context }) => {
    await ack();
    const channelId = body.channel?.id ?? body.container.channel_id ?? '';
    const threadTs = body.message?.thread_ts ?? body.message?.ts;
    const reply = replyChannel({ client, respond, channelId, threadTs, log });
    work.run(async () => {
      await handleButton(d, { actionId: action.action_id, value: action.value ?? '', userId: body.user.id, channelId, ...(threadTs ? { threadTs } : {}) }, reply);
      await handled(context);
    });
  });

  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  // What a stopped process acknowledged but never finished is handled here, once (its claim decides who).
  const replayUnfinished = async () => {
    for (const entry of await inbox.unfinished()) {
      log.info({ delivery: entry.id, kind: entry.kind, receivedAt: entry.receivedAt }, 'handling a request acknowledged before a restart');
      await app.processEvent({ body: entry.payload as Record<string, unknown>, ack: async () => {}, customProperties: { deliveryId: entry.id } });
    }
  };

  return {
    app,
    ready: () => started,
    async start() {
      inbox.startRenewing((err) => log.warn({ err }, 'could not renew the claims on acknowledged Slack requests'));
      const server = await app.start(config.port);
      const port = server instanceof Server ? (server.address() as AddressInfo).port : config.port;
      started = true;
      log.info({ mode: appToken ? 'socket' : 'http', port }, 'Slack bot started');
      await replayUnfinished();
      return port;
    },
    replayUnfinished,
    async stop() {
      started = false;
      await app.stop();
      // Work acked before the stop finishes first: it writes to the store the caller closes next.
      await work.idle();
      inbox.stopRenewing();
    },
  };
}
