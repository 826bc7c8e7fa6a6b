import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import type { Logger } from '../log.js';
import { startServer, type Server as BotServer } from '../main.js';
import { SCENARIOS } from '../sim/kube/catalog/scenarios.js';
import { KubeSimulator } from '../sim/kube/simulator.js';
import { SlackEmulator } from '../sim/slack/emulator.js';
import { defaultWorkspace } from '../sim/slack/fixtures.js';
import { CONSOLE_PAGE } from './console-page.js';

/** Credentials the playground's bot and Slack emulator share; nothing real. */
const SIGNING_SECRET = 'playground-signing-secret-not-a-secret';
const BOT_TOKEN = 'xoxb-playground-0000-not-a-token';

export interface Playground {
  url: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

const CommandBody = z.object({ text: z.string().max(10_000), userId: z.string(), channelId: z.string() }).strict();
const ClickBody = z.object({ messageTs: z.string(), actionId: z.string(), userId: z.string(), channelId: z.string() }).strict();

/**
 * Everything local: the Kubernetes simulator with every catalog scenario, the
 * Slack emulator, the bot as `serve` runs it, and a browser console at `url`.
 */
export async function startPlayground(port: number, log: Logger): Promise<Playground> {
  const sim = await KubeSimulator.start({ scenarios: 'all', log });
  const dir = mkdtempSync(join(tmpdir(), 'deploy-medic-playground-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, sim.kubeconfig(), { mode: 0o600 });
  const namespaces = [...new Set(SCENARIOS.map((s) => s.namespace))];
  writeFileSync(
    join(dir, 'policy.yaml'),
    `channels:\n  - {channel: C0PROD, cluster: default, namespaces: [${namespaces.join(', ')}]}\naccess:\n  readers: ["*"]\n  operators: [U0ALICE]\n  approvers: [S0LEADS]\napprovals:\n  protectedNamespaces: [production]\n`,
  );
  const slack = await SlackEmulator.start({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, ...defaultWorkspace() });
  const config = loadConfig(
    { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl, KUBECONFIG: kubeconfigPath, DEPLOY_MEDIC_CONFIG: join(dir, 'policy.yaml'), PORT: '0', DATABASE_URL: `sqlite://${join(dir, 'medic.db')}` },
    'serve',
  );
  let bot: BotServer;
  try {
    bot = await startServer(config, log);
    slack.setRequestUrl(`http://127.0.0.1:${bot.port}/slack/events`);
  } catch (e) {
    await Promise.all([slack.stop(), sim.stop()]);
    throw e;
  }
  const server = createServer((req, res) => void handle(slack, req, res).catch(() => json(res, 500, { ok: false })));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    kubeconfigPath,
    async stop() {
      await new Promise<void>((r) => (server as Server).close(() => r()));
      await bot.stop();
      await slack.stop();
      await sim.stop();
    },
  };
}

async function handle(slack: SlackEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
  if (route === 'GET /') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    return void res.end(CONSOLE_PAGE);
  }
  if (route === 'GET /api/state') return json(res, 200, slack.snapshot());
  if (route === 'POST /api/command' || route === 'POST /api/click') {
    const raw = await readJson(req);
    if (route === 'POST /api/command') {
      const body = CommandBody.safeParse(raw);
      if (!body.success) return json(res, 400, { ok: false, error: z.prettifyError(body.error) });
      const r = await slack.slashCommand({ command: '/deploy', ...body.data });
      return json(res, 200, { ok: r.status === 200, status: r.status });
    }
    const body = ClickBody.safeParse(raw);
    if (!body.success) return json(res, 400, { ok: false, error: z.prettifyError(body.error) });
    try {
      const r = await slack.clickButton(body.data);
      return json(res, 200, { ok: r.status === 200, status: r.status });
    } catch (e) {
      return json(res, 409, { ok: false, error: (e as Error).message });
    }
  }
  json(res, 404, { ok: false, error: 'not_found' });
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) return undefined;
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
