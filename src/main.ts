import type { WebClient } from '@slack/web-api';
import { ClusterDirectory } from './adapters/kube/clusters.js';
import { composeServices } from './compose.js';
import type { Config } from './config.js';
import { Metrics } from './http/metrics.js';
import { operationalRoutes } from './http/routes.js';
import type { Logger } from './log.js';
import { systemClock, type Clock, type UserGroups } from './ports.js';
import { PolicyAccess } from './services/access.js';
import { createSlackBot, type SlackBot } from './slack/app.js';

/** Members of a Slack user group, for the policy's S… principals. */
const slackUserGroups = (client: WebClient): UserGroups => ({
  members: async (usergroup) => (await client.usergroups.users.list({ usergroup })).users ?? [],
});

/**
 * The composition root of `deploy-medic serve`: every cluster of the policy
 * (checked now, so a bad context stops start-up), the registries, the
 * services, and the Slack bot with the operational routes.
 */
export async function startServer(config: Config, log: Logger, clock: Clock = systemClock): Promise<{ bot: SlackBot; port: number }> {
  const clusters = ClusterDirectory.fromPolicy(config);
  for (const name of clusters.names()) clusters.get(name);
  const services = composeServices(clusters, config, clock);
  const metrics = new Metrics();
  let bot: SlackBot | undefined;
  const routes = operationalRoutes(metrics, () => bot?.ready() ?? false);
  bot = createSlackBot(
    config,
    (app) => ({ services, policy: config.policy, log, metrics, access: new PolicyAccess(config.policy, slackUserGroups(app.client), clock) }),
    routes,
    log,
  );
  return { bot, port: await bot.start() };
}
