import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { ClusterDirectory } from './adapters/kube/clusters.js';
import { openStore } from './adapters/store/index.js';
import { everySeconds } from './adapters/ticker.js';
import { IncidentComposition } from './compose-incidents.js';
import { composeLeadership } from './compose-leadership.js';
import { composeClusterServices } from './compose.js';
import type { Config } from './config.js';
import { Metrics, observedReading } from './http/metrics.js';
import { operationalRoutes } from './http/routes.js';
import { readinessChecks } from './readiness.js';
import type { Logger } from './log.js';
import { systemClock, type Clock, type UserGroups } from './ports.js';
import { PolicyAccess } from './services/access.js';
import { ApprovalService } from './services/approvals.js';
import { storeAuditTrail } from './services/audit.js';
import type { FixEvent } from './domain/incident.js';
import { ExecutionService } from './services/execution.js';
import type { Leadership } from './services/leader-election.js';
import { Inbox } from './services/inbox.js';
import { proposalView } from './services/proposal-view.js';
import { createSlackBot, type SlackBot } from './slack/app.js';
import { slackIncidentChat } from './slack/incident-chat.js';
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
/** How long a stopping bot keeps sending the Slack messages it still holds (Kubernetes allows 30 s in all). */
const SHUTDOWN_SLACK_MS = 10_000;

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
  const store = await openStore(config.databaseUrl, log);
  const clusters = ClusterDirectory.fromPolicy(config);
  for (const name of clusters.names()) clusters.get(name);
  const metrics = new Metrics();
  const cluster = composeClusterServices(clusters, config, clock);
  // Every diagnosis (command, button, incident) counted and timed for /metrics.
  const core = { ...cluster, reading: observedReading(cluster.reading, metrics) };
  const holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  let bot: SlackBot | undefined;
  let execution: ExecutionService | undefined;
  let approvals: ApprovalService | undefined;
  let queues: ChannelQueues | undefined;
  // The watcher, timers and outbox are the leader's: one replica's, or this process's alone without leader election.
  let leadership: Leadership | undefined;
  const incidents = new IncidentComposition({ config, store, clusters, core, clock, log, holder, isLeader: () => leadership?.isLeader() ?? false });
  const readiness = readinessChecks({ slackReady: () => bot?.ready() ?? false, clusters, store, clock, holder, watchers: () => incidents.watching() });
  const routes = [...operationalRoutes(metrics, readiness, () => store.counts()), ...incidents.routes];
  bot = createSlackBot(
    config,
    (app) => {
      const access = new PolicyAccess(config.policy, slackUserGroups(app.client), clock);
      // One queue per channel for everything the bot posts: a thread reads in order, Slack's rate is kept.
      const channels = (queues = new ChannelQueues(app.client, log));
      const thread = slackProposalThread(channels, clock, log);
      // The incident hears of its fix's progress; a failure to record it is logged, never stops the fix.
      const onFixEvent = (e: FixEvent) => service.fixEvent(e).catch((err: unknown) => log.error({ err, proposal: e.proposalId }, 'could not record a fix on its incident'));
      const exec = new ExecutionService({
        store,
        clusters,
        thread,
        clock,
        log,
        onFixEvent,
        options: { holder, leaseMs: LEASE_MS, pollMs: opts.pollMs ?? POLL_MS, settleSeconds: config.policy.approvals.settleSeconds },
      });
      execution = exec;
      const approving = new ApprovalService({ store, clusters, snapshots: core.snapshots, access, thread, clock, policy: config.policy, execute: (id) => exec.start(id), onFixEvent });
      approvals = approving;
      const chat = slackIncidentChat(channels, {
        proposals: async (id) => {
          const record = await store.getProposal(id);
          return record && proposalView(record, clock.now());
        },
        attachCard: (id, ts) => approving.attachCard(id, ts),
      });
      const service = incidents.connect(chat, approving);
      return { services: { reading: core.reading, approvals: approving, audit: storeAuditTrail(store), incidents: service }, policy: config.policy, log, metrics, access };
    },
    routes,
    log,
    new Inbox(store, clock, holder),
  );
  const port = await bot.start();
  // What the stopped services handed to Slack last (a fix's outcome, an incident's update) is sent before the exit.
  const sendLeftovers = async () => {
    const left = (await queues?.settle(SHUTDOWN_SLACK_MS)) ?? 0;
    if (left > 0) log.warn({ messages: left }, `${left} Slack message(s) not sent before shutdown: Slack did not answer within ${SHUTDOWN_SLACK_MS / 1000} s`);
  };
  const housekeeping = async () => {
    // Requests a killed process acknowledged: replayed once its claim ran out (bot.start replays what already has).
    await bot!.replayUnfinished();
    await approvals!.expireDue();
    await approvals!.resumeApproved();
    await execution!.resumeAbandoned();
    await incidents.tick();
  };
  try {
    leadership = await composeLeadership(
      config,
      {
        start: async () => {
          await incidents.startWatchers();
          await incidents.tick();
        },
        stop: () => incidents.stop(),
      },
      { store, clock, log, holder },
    );
    await housekeeping();
  } catch (e) {
    // A half-started bot must not stay up answering /healthz: undo what started, then fail start-up.
    await Promise.allSettled([leadership?.stop() ?? incidents.stop(), bot.stop(), execution?.stop()]);
    await incidents.stopDelivering();
    await sendLeftovers();
    await store.close().catch(() => undefined);
    throw e;
  }
  const tick = everySeconds(HOUSEKEEPING_SECONDS, 'housekeeping', housekeeping, log);
  return {
    bot,
    port,
    async stop() {
      tick.stop();
      await leadership!.stop();
      await bot!.stop();
      await execution!.stop();
      await incidents.stopDelivering();
      await sendLeftovers();
      await store.close();
    },
  };
}
