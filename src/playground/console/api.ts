import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { MedicError, toMedicError, type ErrorCode } from '../../errors.js';
import type { PagerDutyEmulator } from '../../sim/pagerduty/emulator.js';
import type { SlackEmulator } from '../../sim/slack/emulator.js';
import type { ChangeFeed } from '../changes.js';
import type { PlaygroundCluster } from '../cluster.js';
import { INCIDENTS_CHANNEL } from '../policy.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { CONSOLE_CSS } from './page-css.js';
import { CONSOLE_PAGE } from './page.js';
import { clusterHtml } from './views/cluster.js';
import { incidentsHtml } from './views/incidents.js';
import { pagerDutyHtml } from './views/pagerduty.js';
import { channelHtml, playgroundUsers, renderContext, sidebarHtml, threadHtml } from './views/workspace.js';

/** What the console shows and acts on: the test world, read and driven in-process. */
export interface ConsoleWorld {
  slack: SlackEmulator;
  pagerduty: PagerDutyEmulator;
  cluster: PlaygroundCluster;
  changes: ChangeFeed;
  /** The simulated cluster's clock, which the bot runs on too. */
  now(): Date;
}

/** How long GET /api/view?since=V waits for a change before answering with the same version. */
const LONG_POLL_MS = 20_000;
const MAX_BODY = 64 * 1024;
/** Script and styles from the console only: markup that slipped past the escaping still could not run. */
const PAGE_POLICY = "default-src 'self'; img-src 'self' https: http: data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const CommandBody = z.object({ text: z.string().max(10_000), userId: z.string(), channelId: z.string() }).strict();
const ClickBody = z.object({ messageTs: z.string(), actionId: z.string(), userId: z.string(), channelId: z.string() }).strict();

const STATUS: Partial<Record<ErrorCode, number>> = { USAGE: 400, NOT_FOUND: 404, CONFLICT: 409 };

/**
 * The playground's own HTTP API, the only thing the page talks to: the page
 * and its script, the rendered view, and the actions (a command, a click,
 * break and reset, PagerDuty's acknowledge). GET /api/state is the raw world
 * as JSON, for scripts.
 */
export async function handleConsole(world: ConsoleWorld, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://console');
  const route = `${req.method} ${url.pathname}`;
  try {
    if (route === 'GET /') return send(res, 200, 'text/html; charset=utf-8', CONSOLE_PAGE, { 'Content-Security-Policy': PAGE_POLICY });
    if (route === 'GET /console.js') return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_SCRIPT);
    if (route === 'GET /console.css') return send(res, 200, 'text/css; charset=utf-8', CONSOLE_CSS);
    if (route === 'GET /api/view') return json(res, 200, await view(world, url.searchParams));
    if (route === 'GET /api/state') return json(res, 200, { version: world.changes.current, slack: world.slack.snapshot(), pagerduty: world.pagerduty.snapshot(), cluster: world.cluster.deployments() });
    if (req.method === 'POST') return json(res, 200, await act(world, url.pathname, req));
    throw new MedicError('NOT_FOUND', `no route ${route}`);
  } catch (e) {
    const err = toMedicError(e);
    json(res, STATUS[err.code] ?? 500, { ok: false, error: err.message });
  }
}

async function act(world: ConsoleWorld, path: string, req: IncomingMessage): Promise<unknown> {
  const body = await readJson(req);
  if (path === '/api/command') {
    const b = parse(CommandBody, body, '{"text": "diagnose api-server -n production", "userId": "U…", "channelId": "C…"}');
    knownActor(world.slack, b.userId, b.channelId);
    const r = await world.slack.slashCommand({ command: '/deploy', ...b });
    return { ok: r.status === 200, status: r.status };
  }
  if (path === '/api/click') {
    const b = parse(ClickBody, body, '{"messageTs": "…", "actionId": "…", "userId": "U…", "channelId": "C…"}');
    knownActor(world.slack, b.userId, b.channelId);
    const r = await world.slack.clickButton(b).catch((e: unknown) => {
      throw new MedicError('CONFLICT', (e as Error).message);
    });
    return { ok: r.status === 200, status: r.status };
  }
  if (path === '/api/scenarios/reset') return { ok: true, reset: world.cluster.resetAll() };
  const scenario = /^\/api\/scenarios\/([a-z0-9-]+)\/(break|reset)$/.exec(path);
  if (scenario) {
    const [, name, verb] = scenario as unknown as [string, string, 'break' | 'reset'];
    world.cluster[verb](name);
    return { ok: true };
  }
  const ack = /^\/api\/pagerduty\/incidents\/([A-Z0-9]+)\/acknowledge$/.exec(path);
  if (ack) {
    try {
      const incident = world.pagerduty.acknowledge(ack[1]!);
      return { ok: true, status: incident.status };
    } catch (e) {
      throw new MedicError('CONFLICT', (e as Error).message);
    }
  }
  throw new MedicError('NOT_FOUND', `no route POST ${path}`);
}

/** The page's panels for one viewer, as HTML; with `since`, once the world has changed (or the long poll ran out). */
async function view(world: ConsoleWorld, q: URLSearchParams) {
  const since = q.get('since');
  const version = since !== null && /^\d+$/.test(since) ? await world.changes.wait(Number(since), LONG_POLL_MS) : world.changes.current;
  const { slack, pagerduty } = world;
  const users = playgroundUsers(slack);
  const user = users.find((u) => u.id === q.get('as')) ?? users[0]!;
  const channelId = q.get('channel') ?? INCIDENTS_CHANNEL;
  const channel = slack.state.channels.get(channelId);
  if (!channel) throw new MedicError('NOT_FOUND', `no channel ${channelId}; the workspace has: ${[...slack.state.channels.keys()].join(', ')}`);
  const thread = q.get('thread') || undefined;
  const v = { user, channel: channel.id, ...(thread ? { thread } : {}) };
  const ctx = renderContext(slack, user, world.now());
  return {
    version,
    me: { id: user.id, name: user.realName ?? user.name },
    channel: { id: channel.id, name: channel.name },
    panels: {
      sidebar: sidebarHtml(slack, v).value,
      messages: channelHtml(slack, v, ctx).value,
      thread: threadHtml(slack, v, ctx).value,
      incidents: incidentsHtml(slack, pagerduty).value,
      pagerduty: pagerDutyHtml(pagerduty).value,
      cluster: clusterHtml(world.cluster.deployments()).value,
    },
  };
}

function knownActor(slack: SlackEmulator, userId: string, channelId: string): void {
  if (!slack.state.users.has(userId)) throw new MedicError('USAGE', `unknown user ${userId}; the workspace has: ${[...slack.state.users.keys()].join(', ')}`);
  if (!slack.state.channels.has(channelId)) throw new MedicError('USAGE', `unknown channel ${channelId}; the workspace has: ${[...slack.state.channels.keys()].join(', ')}`);
}

function parse<T>(schema: z.ZodType<T>, body: unknown, example: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new MedicError('USAGE', `${z.prettifyError(r.error)}\nexpected a JSON body such as ${example}`);
  return r.data;
}

/** Actions take JSON only: a cross-site form cannot send it without a preflight the console never answers. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) throw new MedicError('USAGE', 'expected Content-Type: application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new MedicError('USAGE', `the body is larger than ${MAX_BODY} bytes`);
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new MedicError('USAGE', 'the body is not JSON');
  }
}

function send(res: ServerResponse, code: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

const json = (res: ServerResponse, code: number, body: unknown) => send(res, code, 'application/json', JSON.stringify(body));
