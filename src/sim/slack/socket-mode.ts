import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { JsonObject } from './types.js';

/** Slack allows an app at most ten simultaneous Socket Mode connections. */
const MAX_CONNECTIONS = 10;

export interface SocketModeOptions {
  appId: string;
  /** Slack pings each connection periodically; the client treats missing pings as a dead link. */
  pingIntervalMs: number;
  /** How long `deliver` waits for the app's ack before giving up. */
  ackTimeoutMs: number;
  /** Called when a connection opens or closes, so waiters can re-check. */
  onChange(): void;
}

interface Pending {
  socket: WebSocket;
  started: number;
  resolve(ack: { payload?: JsonObject; ackMs: number }): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Slack's Socket Mode endpoint: `apps.connections.open` hands out a one-time
 * URL; the connection gets a `hello`, then envelopes `{envelope_id, type,
 * payload, accepts_response_payload}` which the app acknowledges with
 * `{envelope_id, payload?}`.
 */
export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private connections: WebSocket[] = [];
  private nextConnection = 0;
  private readonly pinger: NodeJS.Timeout;

  constructor(private readonly opts: SocketModeOptions) {
    this.pinger = setInterval(() => this.connections.forEach((ws) => ws.ping()), opts.pingIntervalMs).unref();
  }

  get connectionCount(): number {
    return this.connections.length;
  }

  /** A one-time URL under `wsBase` (ws://host:port), as apps.connections.open returns. */
  issueUrl(wsBase: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${wsBase}/link/?ticket=${ticket}&app_id=${this.opts.appId}`;
  }

  /** Takes over an HTTP upgrade for /link/; returns false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://slack');
    if (url.pathname !== '/link/' && url.pathname !== '/link') return false;
    const ticket = url.searchParams.get('ticket') ?? '';
    if (!this.tickets.delete(ticket) || this.connections.length >= MAX_CONNECTIONS) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  /** Sends one envelope to a connected app and resolves with its ack. */
  deliver(type: 'slash_commands' | 'interactive', payload: JsonObject): Promise<{ payload?: JsonObject; ackMs: number }> {
    const socket = this.pickConnection();
    if (!socket) {
      return Promise.reject(new Error('Socket Mode: no app is connected (it must call apps.connections.open and open the returned URL first)'));
    }
    const envelopeId = randomUUID();
    // Only interactions whose ack can carry a reply say so; for button clicks the ack body is ignored.
    const envelope = { envelope_id: envelopeId, payload, type, accepts_response_payload: type === 'slash_commands' };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`Socket Mode: envelope ${envelopeId} (${type}) was not acknowledged within ${this.opts.ackTimeoutMs} ms`));
      }, this.opts.ackTimeoutMs);
      this.pending.set(envelopeId, { socket, started: performance.now(), resolve, reject, timer });
      socket.send(JSON.stringify(envelope));
    });
  }

  /** Asks every connected app to reconnect, as Slack does when it recycles a server. */
  requestReconnect(): void {
    const msg = JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-emulator' } });
    for (const ws of this.connections) ws.send(msg);
  }

  async close(): Promise<void> {
    clearInterval(this.pinger);
    for (const ws of this.connections) ws.terminate();
    this.connections = [];
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    this.connections.push(ws);
    this.opts.onChange();
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.onAck(rawText(data));
    });
    ws.on('close', () => this.drop(ws));
    ws.on('error', () => this.drop(ws));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        debug_info: { host: 'applink-emulator', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.opts.appId },
      }),
    );
  }

  private onAck(text: string): void {
    let msg: { envelope_id?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return; // Slack ignores frames it cannot parse.
    }
    const pending = typeof msg.envelope_id === 'string' ? this.pending.get(msg.envelope_id) : undefined;
    if (!pending) return;
    this.pending.delete(msg.envelope_id as string);
    clearTimeout(pending.timer);
    const payload = isObject(msg.payload) && Object.keys(msg.payload).length ? msg.payload : undefined;
    pending.resolve({ ackMs: performance.now() - pending.started, ...(payload ? { payload } : {}) });
  }

  private drop(ws: WebSocket): void {
    if (!this.connections.includes(ws)) return;
    this.connections = this.connections.filter((c) => c !== ws);
    this.opts.onChange();
    for (const [id, p] of this.pending) {
      if (p.socket !== ws) continue;
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new Error(`Socket Mode: connection closed before envelope ${id} was acknowledged`));
    }
  }

  /** Slack spreads envelopes over an app's open connections. */
  private pickConnection(): WebSocket | undefined {
    const open = this.connections.filter((c) => c.readyState === WebSocket.OPEN);
    if (!open.length) return undefined;
    return open[this.nextConnection++ % open.length];
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
