import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import type { Logger } from '../log.js';
import { startServer, type Server as BotServer } from '../main.js';
import { HEALTHY_PHASE_MS } from '../sim/kube/catalog/load.js';
import { SCENARIOS } from '../sim/kube/catalog/scenarios.js';
import { KubeSimulator } from '../sim/kube/simulator.js';
import { PagerDutyEmulator } from '../sim/pagerduty/emulator.js';
import { SlackEmulator } from '../sim/slack/emulator.js';
import { defaultWorkspace } from '../sim/slack/fixtures.js';
import { ChangeFeed } from './changes.js';
import { PlaygroundCluster } from './cluster.js';
import { listenConsole } from './console/server.js';
import { playgroundPolicy } from './policy.js';
import { registriesPolicy, startPlaygroundRegistry, type PlaygroundRegistry, type PlaygroundRegistryChoice } from './registry.js';

/** Credentials the playground's bot and its emulators share; nothing real. */
const SIGNING_SECRET = 'playground-signing-secret-not-a-secret';
const BOT_TOKEN = 'xoxb-playground-0000-not-a-token';
const PAGERDUTY_WEBHOOK_SECRET = 'playground-pagerduty-webhook-secret';

export interface PlaygroundOptions {
  /** The console's port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** The image registry: docker-registry when installed ("auto", the default), or always the simulated one. */
  registry?: PlaygroundRegistryChoice;
}

export interface Playground {
  url: string;
  kubeconfigPath: string;
  /** Which image registry serves the catalog, and where. */
  registry: Pick<PlaygroundRegistry, 'kind' | 'settings'>;
  stop(): Promise<void>;
}

/**
 * Everything local: the Kubernetes simulator with every catalog scenario at
 * its healthy first revision, the Slack emulator, the PagerDuty emulator
 * (HTTPS, its CA trusted through PAGERDUTY_CA_FILE, webhooks back to the
 * bot), the bot as `serve` runs it on the cluster's clock, and the browser
 * console at `url`.
 */
export async function startPlayground(opts: PlaygroundOptions, log: Logger): Promise<Playground> {
  const web = await listenConsole(opts.port);
  const dir = mkdtempSync(join(tmpdir(), 'deploy-medic-playground-'));
  const stops: Array<() => Promise<void> | void> = [() => rmSync(dir, { recursive: true, force: true }), () => web.close()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    // The clock starts in the past by the healthy rollout's length, so the cluster is loaded at about now.
    const [sim, slack, pagerduty, registry] = await Promise.all([
      KubeSimulator.start({ log, start: new Date(Date.now() - HEALTHY_PHASE_MS) }).then((s) => (stops.push(() => s.stop()), s)),
      SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, ...defaultWorkspace() }).then((s) => (stops.push(() => s.stop()), s)),
      PagerDutyEmulator.start().then((p) => (stops.push(() => p.stop()), p)),
      startPlaygroundRegistry(opts.registry ?? 'auto', log).then((r) => (stops.push(() => r.stop()), r)),
    ]);
    const cluster = new PlaygroundCluster(sim);
    await cluster.load();
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, sim.kubeconfig(), { mode: 0o600 });
    const namespaces = [...new Set(SCENARIOS.map((s) => s.namespace))];
    writeFileSync(join(dir, 'policy.yaml'), playgroundPolicy({ namespaces, routingKeys: pagerduty.routingKeys }) + registriesPolicy(registry));
    const config = loadConfig(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        KUBECONFIG: kubeconfigPath,
        DEPLOY_MEDIC_CONFIG: join(dir, 'policy.yaml'),
        PORT: '0',
        DATABASE_URL: `sqlite://${join(dir, 'medic.db')}`,
        ...pagerduty.env(),
        PAGERDUTY_WEBHOOK_SECRET,
      },
      'serve',
    );
    // On the cluster's clock, as in production the bot and the API server agree on the time.
    const bot: BotServer = await startServer(config, log, sim.clock);
    stops.push(() => bot.stop());
    const botUrl = `http://127.0.0.1:${bot.port}`;
    slack.setRequestUrl(`${botUrl}/slack/events`);
    pagerduty.subscribeWebhooks({ url: `${botUrl}/webhooks/pagerduty`, secret: PAGERDUTY_WEBHOOK_SECRET });
    const changes = new ChangeFeed();
    slack.state.on('change', changes.bump);
    pagerduty.state.on('change', changes.bump);
    const unsubscribe = sim.store.subscribe(changes.bump);
    stops.push(() => {
      unsubscribe();
      slack.state.off('change', changes.bump);
      pagerduty.state.off('change', changes.bump);
      changes.close();
    });
    web.serve({ slack, pagerduty, cluster, changes, now: () => sim.clock.now() });
    return { url: web.url, kubeconfigPath, registry: { kind: registry.kind, settings: registry.settings }, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
