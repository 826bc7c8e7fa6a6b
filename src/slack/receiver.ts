import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { App, Receiver } from '@slack/bolt';
import type { Route } from '../http/routes.js';
import type { Logger } from '../log.js';

const MAX_BODY = 1024 * 1024;
/** How long requests must stop arriving before queued work starts. */
const QUIET_MS = 5;
/** Slack's replay window for a request timestamp. */
const MAX_AGE_SECONDS = 5 * 60;

/**
 * An HTTP receiver that answers Slack before Bolt runs. Our listeners never
 * put content in an ack, so once the v0 signature checks out the 200 goes
 * back at once and Bolt processes the request on the next turn of the event
 * loop: a burst of 200 commands is acked in milliseconds each instead of
 * queueing behind each other's middleware. Each request is written to the
 * inbox before its 200 (an SQLite write takes microseconds of Slack's 3 s).
 * Bad signatures and replays get 401 and never reach Bolt.
 */
export class AckFirstReceiver implements Receiver {
  private app?: App;
  private server?: Server;
  /**
   * Acked requests waiting for Bolt. Work starts once requests stop arriving
   * for QUIET_MS, then one is handed over per event-loop turn: during a burst
   * every CPU cycle goes to reading and acking, the work follows milliseconds later.
   */
  private readonly backlog: Array<{ body: Record<string, unknown>; deliveryId: string }> = [];
  private pumping = false;
  private lastArrival = 0;

  constructor(
    private readonly signingSecret: string,
    private readonly routes: Route[],
    private readonly log: Logger,
    /** Persists a delivery before its 200: its id, or undefined for a duplicate (acked, not handled again). */
    private readonly accept: (body: Record<string, unknown>) => Promise<string | undefined>,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(port: number): Promise<Server> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => resolve());
    });
    this.server = server;
    this.log.debug({ port: (server.address() as AddressInfo).port }, 'HTTP receiver listening');
    return server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.routes.find((r) => r.path === path && [r.method].flat().includes(req.method ?? 'GET'));
    if (route) return route.handler(req, res);
    if (path !== '/slack/events' || req.method !== 'POST') return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const raw = Buffer.concat(chunks).toString('utf8');
      const problem = this.verify(req, raw);
      if (problem) {
        this.log.info({ problem }, 'refused a Slack request');
        return void res.writeHead(401, { 'Content-Type': 'text/plain' }).end();
      }
      const body = parseBody(raw, req.headers['content-type']);
      if (!body) return void res.writeHead(400).end();
      if (body.ssl_check) return void res.writeHead(200).end();
      this.accept(body).then(
        (deliveryId) => {
          res.writeHead(200).end();
          if (deliveryId) this.enqueue(body, deliveryId);
        },
        (err: unknown) => {
          // Not persisted, so not acknowledged: Slack tells the user it failed, nothing is silently lost.
          this.log.error({ err }, 'could not record a Slack request; answered 500');
          res.writeHead(500).end();
        },
      );
    });
  }

  private enqueue(body: Record<string, unknown>, deliveryId: string): void {
    this.backlog.push({ body, deliveryId });
    this.lastArrival = performance.now();
    if (!this.pumping) {
      this.pumping = true;
      setTimeout(() => this.pump(), QUIET_MS);
    }
  }

  private pump(): void {
    const quietFor = performance.now() - this.lastArrival;
    if (quietFor < QUIET_MS) return void setTimeout(() => this.pump(), QUIET_MS - quietFor);
    const next = this.backlog.shift();
    if (next) {
      this.app
        ?.processEvent({ body: next.body, ack: async () => {}, customProperties: { deliveryId: next.deliveryId } })
        .catch((err: unknown) => this.log.error({ err }, 'Bolt could not process a Slack request'));
    }
    if (this.backlog.length) setImmediate(() => this.pump());
    else this.pumping = false;
  }

  /** Slack request signing v0; returns why a request is refused, if it is. */
  private verify(req: IncomingMessage, raw: string): string | undefined {
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signature = req.headers['x-slack-signature'];
    if (!Number.isInteger(timestamp) || typeof signature !== 'string') return 'missing signature headers';
    if (Math.abs(Math.floor(Date.now() / 1000) - timestamp) > MAX_AGE_SECONDS) return 'stale timestamp (possible replay)';
    const expected = `v0=${createHmac('sha256', this.signingSecret).update(`v0:${timestamp}:${raw}`).digest('hex')}`;
    const a = Buffer.from(expected);
    const b = Buffer.from(signature);
    return a.length === b.length && timingSafeEqual(a, b) ? undefined : 'signature mismatch';
  }
}

/** Slash commands are form fields; interactive payloads are JSON in the `payload` field. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | undefined {
  try {
    if (contentType?.startsWith('application/json')) return JSON.parse(raw) as Record<string, unknown>;
    const form = Object.fromEntries(new URLSearchParams(raw));
    return typeof form.payload === 'string' ? (JSON.parse(form.payload) as Record<string, unknown>) : form;
  } catch {
    return undefined;
  }
}
