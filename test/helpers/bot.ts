import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/main.js';
import type { SlackBot } from '../../src/slack/app.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import type { KubeSimulatorOptions } from '../../src/sim/kube/simulator.js';
import { startSim, type SimFixture } from './sim.js';
import { APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, startSlackEmulator } from './slack.js';

/** Readers: Alice and Bob; operators: Alice; approvers: the leads group. Carol may do nothing. */
export const TEST_POLICY = `
channels:
  - {channel: C0PROD, cluster: default, namespaces: [production, forex-prod, batch, media, shop, ml, analytics, payments-pci, fulfillment]}
  - {channel: C0STAGING, cluster: default, namespaces: [staging]}
access:
  readers: [U0ALICE, U0BOB]
  operators: [U0ALICE]
  approvers: [S0LEADS]
approvals:
  protectedNamespaces: [production]
`;

export interface BotFixture {
  sim: SimFixture;
  slack: SlackEmulator;
  bot: SlackBot;
  /** The bot's HTTP address (its /slack/events, /healthz, /metrics). */
  url: string;
  /** The bot's store, for the CLI (`deploy-medic audit`). */
  databaseUrl: string;
  /** Everything the bot logged, as parsed JSON lines. */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** The whole bot against the test world: Kubernetes simulator, Slack emulator, `startServer` as `deploy-medic serve` runs it. */
export async function startBot(
  opts: {
    sim?: KubeSimulatorOptions;
    socketMode?: boolean;
    policy?: string;
    registryUrl?: string;
    /** The bot's clock is the simulated cluster's. */
    clockFromSim?: boolean;
    /** More environment (PagerDuty, Alertmanager) for the bot. */
    env?: Record<string, string>;
  } = {},
): Promise<BotFixture> {
  const sim = await startSim(opts.sim);
  const slack = await startSlackEmulator(opts.socketMode ? { appToken: APP_TOKEN } : {});
  const dir = mkdtempSync(join(tmpdir(), 'medic-bot-'));
  const databaseUrl = `sqlite://${join(dir, 'medic.db')}`;
  const registries = opts.registryUrl ? `registries:\n  - {host: registry.example.com, endpoint: "${opts.registryUrl}"}\n` : '';
  writeFileSync(join(dir, 'policy.yaml'), (opts.policy ?? TEST_POLICY) + registries);
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      ...(opts.socketMode ? { SLACK_APP_TOKEN: APP_TOKEN } : {}),
      SLACK_API_URL: slack.apiUrl,
      KUBECONFIG: sim.kubectl.kubeconfigPath,
      DEPLOY_MEDIC_CONFIG: join(dir, 'policy.yaml'),
      PORT: '0',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'debug',
      ...opts.env,
    },
    'serve',
  );
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const server = await startServer(config, createLogger({ level: 'debug', destination }), opts.clockFromSim ? sim.sim.clock : undefined, { pollMs: 50 });
  const { bot, port } = server;
  if (!opts.socketMode) slack.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
  else await slack.waitFor(() => (slack.socketConnections > 0 ? true : undefined), { description: 'a Socket Mode connection' });
  return {
    sim,
    slack,
    bot,
    url: `http://127.0.0.1:${port}`,
    databaseUrl,
    logs,
    async stop() {
      await server.stop();
      if (opts.socketMode) await slack.waitFor(() => (slack.socketConnections === 0 ? true : undefined), { description: 'the socket to close' });
      await slack.stop();
      await sim.sim.stop();
    },
  };
}
