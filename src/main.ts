import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { ClusterDirectory } from './adapters/kube/clusters.js';
import { openStore } from './adapters/store/index.js';
import { everySeconds } from './adapters/ticker.js';
import { composeClusterServices } from './compose.js';
import type { Config } from './config.js';
import { Metrics } from './http/metrics.js';
import { operationalRoutes } from './http/routes.js';
import type { Logger } from './log.js';
import { systemClock, type Clock, type UserGroups } from './ports.js';
import { PolicyAccess } from './services/access.js';
import { ApprovalService } from './services/approvals.js';
import { storeAuditTrail } from './services/audit.js';
import { ExecutionService } from './services/execution.js';
import { Inbox } from './services/inbox.js';
import { createSlackBot, type SlackBot } from './slack/app.js';
import { ChannelQueues } from './slack/channel-queue.js';
import { slackProposalThread } from './slack/proposal-thread.js';

/** Members of a Slack user group, for the policy's S… principals. */
const slackUserGroups = (client: WebClient): UserGroups => ({
  members: async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
});

/** A claimed execution is renewed every third of this; a crashed holder's is taken over after it. */
const LEASE_MS = 15_000;
const POLL_MS = 1_000;
const HOUSEKEEPING_SECONDS = 5;

export interface Server {
  bot: SlackBot;
  port: number;
  /** Stops taking requests, lets running executions reach a saved point, closes the store. */
  stop(): Promise<void>;
}

/**
 * The composition root of `deploy-medic serve`: the store (opened and
 * migrated first: a bad file stops start-up), every cluster of the policy
 * (checked now, so a bad context stops start-up), the services, the Slack
 * bot with the operational routes, and the housekeeping ticks. Work an
 * earlier process left (an approved proposal, a verification) is resumed.
 */
export async function startServer(config: Config, log: Logger, clock: Clock = systemClock, opts: { pollMs?: number } = {}): Promise<Server> {
  const store = await openStore(config.databaseUrl);
  const clusters = ClusterDirectory.fromPolicy(config);
  for (const name of clusters.names()) clusters.get(name);
  const core = composeClusterServices(clusters, config, clock);
  const metrics = new Metrics();
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let bot: SlackBot | undefined;
  let execution: ExecutionService | undefined;
  let approvals: ApprovalService | undefined;
  const routes = operationalRoutes(metrics, () => bot?.ready() ?? false);
  bot = createSlackBot(
    config,
    (app) => {
      const access = new PolicyAccess(config.policy, slackUserGroups(app.client), clock);
      const thread = slackProposalThread(new ChannelQueues(app.client, log), clock, log);
      const exec = new ExecutionService({
        store,
        clusters,
        thread,
        clock,
        log,
        options: { holder, leaseMs: LEASE_MS, pollMs: opts.pollMs ?? POLL_MS, settleSeconds: config.policy.approvals.settleSeconds },
      });
      execution = exec;
      approvals = new ApprovalService({ store, clusters, snapshots: core.snapshots, access, thread, clock, policy: config.policy, execute: (id) => exec.start(id) });
      return { services: { reading: core.reading, approvals, audit: storeAuditTrail(store) }, policy: config.policy, log, metrics, access };
    },
    routes,
    log,
    new Inbox(store, clock, holder),
  );
  const port = await bot.start();
  const housekeeping = async () => {
    // Requests a killed process acknowledged: replayed once its claim ran out (bot.start replays what already has).
    await bot!.replayUnfinished();
    await approvals!.expireDue();
    await approvals!.resumeApproved();
    await execution!.resumeAbandoned();
  };
  await housekeeping();
  const tick = everySeconds(HOUSEKEEPING_SECONDS, 'approvals', housekeeping, log);
  return {
    bot,
    port,
    async stop() {
      tick.stop();
      await bot!.stop();
      await execution!.stop();
      await store.close();
    },
  };
}
