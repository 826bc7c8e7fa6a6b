import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-api.js';
import { Dispatcher, type DeliveryOptions, type DispatchResult, type SentDelivery } from './dispatch.js';
import { FaultPlan, type FaultSpec } from './faults.js';
import { DEFAULT_APP, defaultWorkspace } from './fixtures.js';
import { BodyTooLargeError, mediaType, parseJsonObject, readBody, sendJson } from './http.js';
import type { ButtonClickInput, SlashCommandInput } from './payloads.js';
import { ResponseUrls, type ResponseUse } from './response-urls.js';
import type { SignOptions } from './signing.js';
import { SocketModeServer } from './socket-mode.js';
import { WorkspaceState } from './state.js';
import type { ApiCall, AppIdentity, EphemeralMessage, JsonObject, MessageVersion, StoredMessage, WorkspaceFixture } from './types.js';
import { handleWebApi, type WebApiHttpDeps } from './web-api-http.js';
import type { TokenKind } from './web-api.js';

export interface SlackEmulatorOptions extends Partial<WorkspaceFixture> {
  /** Default 0: a free port. */
  port?: number;
  host?: string;
  signingSecret: string;
  botToken: string;
  /** An app-level token (xapp-…). When set the app is in Socket Mode: interactions go over the WebSocket only. */
  appToken?: string;
  /** The app's request URL (Bolt's /slack/events) for HTTP delivery; can also be set later. */
  requestUrl?: string;
  app?: Partial<AppIdentity>;
  verificationToken?: string;
  /** Clock for message timestamps and response_url expiry. Request signatures always use the wall clock. */
  now?: () => number;
  socketPingIntervalMs?: number;
  ackTimeoutMs?: number;
}

export interface WaitOptions {
  timeoutMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

/**
 * A Slack workspace on loopback: the Web API, response_url endpoints, signed
 * delivery of slash commands and button clicks to the app (HTTP or Socket
 * Mode), and inspection of everything the app did. Users and channels default
 * to `defaultWorkspace()`.
 */
export class SlackEmulator {
  readonly state: WorkspaceState;
  private readonly faults = new FaultPlan();
  private readonly responseUrls: ResponseUrls;
  private readonly socket: SocketModeServer;
  private readonly dispatcher: Dispatcher;
  private readonly callLog: ApiCall[] = [];
  private readonly server: Server;
  private readonly webApi: WebApiHttpDeps;
  private requestUrl: string | undefined;
  private readonly holds = new Map<string, () => Promise<void>>();
  private origin = '';

  private constructor(opts: SlackEmulatorOptions) {
    const now = opts.now ?? Date.now;
    const fixture = defaultWorkspace();
    this.state = new WorkspaceState(
      { users: opts.users ?? fixture.users, userGroups: opts.userGroups ?? fixture.userGroups, channels: opts.channels ?? fixture.channels },
      { ...DEFAULT_APP, ...opts.app },
      now,
    );
    this.requestUrl = opts.requestUrl;
    this.responseUrls = new ResponseUrls(this.state, now);
    this.socket = new SocketModeServer({
      appId: this.state.app.appId,
      pingIntervalMs: opts.socketPingIntervalMs ?? 10_000,
      ackTimeoutMs: opts.ackTimeoutMs ?? 10_000,
      onChange: () => this.state.emit('change'),
    });
    this.dispatcher = new Dispatcher({
      state: this.state,
      verificationToken: opts.verificationToken ?? randomBytes(12).toString('hex'),
      now,
      signingSecret: opts.signingSecret,
      responseUrls: this.responseUrls,
      socket: this.socket,
      socketMode: Boolean(opts.appToken),
      requestUrl: () => this.requestUrl,
      baseUrl: () => this.origin,
    });
    const tokens = new Map<string, TokenKind>([[opts.botToken, 'bot']]);
    if (opts.appToken) tokens.set(opts.appToken, 'app');
    this.webApi = {
      state: this.state,
      tokens,
      faults: this.faults,
      now,
      record: (call) => {
        this.callLog.push(call);
        this.state.emit('change');
      },
      openSocketUrl: () => this.socket.issueUrl(this.origin.replace(/^http/, 'ws')),
    };
    this.server = createServer((req, res) => {
      this.route(req, res).catch((e: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (e instanceof BodyTooLargeError) return sendJson(res, 413, { ok: false, error: 'request_too_large' });
        // A 200 with an unmistakable code: a 5xx would make WebClient retry for half an hour instead of failing the test.
        sendJson(res, 200, { ok: false, error: 'emulator_bug', detail: e instanceof Error ? e.stack ?? e.message : String(e) });
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, sock, head: Buffer) => {
      if (!this.socket.handleUpgrade(req, sock, head)) sock.destroy();
    });
  }

  static async start(opts: SlackEmulatorOptions): Promise<SlackEmulator> {
    const emulator = new SlackEmulator(opts);
    await new Promise<void>((resolve, reject) => {
      emulator.server.once('error', reject);
      emulator.server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
    });
    const { address, port } = emulator.server.address() as AddressInfo;
    emulator.origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
    return emulator;
  }

  /** What to pass as WebClient's `slackApiUrl` (SLACK_API_URL). */
  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  get url(): string {
    return this.origin;
  }

  get socketConnections(): number {
    return this.socket.connectionCount;
  }

  setRequestUrl(url: string): void {
    this.requestUrl = url;
  }

  /** A user runs a slash command; resolves once the app has acknowledged it. */
  slashCommand(input: SlashCommandInput & SignOptions & DeliveryOptions): Promise<DispatchResult> {
    return this.dispatcher.slashCommand(input, input, input);
  }

  /** A user clicks a button on a message the app posted; resolves once the app has acknowledged it. */
  clickButton(input: ButtonClickInput & SignOptions & DeliveryOptions): Promise<DispatchResult> {
    return this.dispatcher.clickButton(input, input, input);
  }

  /** The most recent HTTP delivery (command or click), as signed and sent. */
  lastDelivery(): SentDelivery | undefined {
    return this.dispatcher.lastDelivery();
  }

  /** Posts the most recent HTTP delivery again, identical bytes and signature: at-least-once delivery. */
  redeliver(opts: DeliveryOptions = {}): ReturnType<Dispatcher['redeliver']> {
    return this.dispatcher.redeliver(opts);
  }

  /**
   * Calls of a Web API method wait, unanswered, until `release()`: the app is
   * caught in the middle of its work. `waiting` counts the calls held now.
   */
  hold(method: string): { release(): void; readonly waiting: number } {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let waiting = 0;
    const held = async () => {
      waiting++;
      this.state.emit('change');
      await gate;
      waiting--;
    };
    this.holds.set(method, held);
    return {
      release: () => {
        if (this.holds.get(method) === held) this.holds.delete(method);
        open();
      },
      get waiting() {
        return waiting;
      },
    };
  }

  messages(channelId: string): StoredMessage[] {
    return this.state.history(channelId);
  }

  thread(channelId: string, ts: string): StoredMessage[] {
    return this.state.thread(channelId, ts);
  }

  ephemerals(filter: { userId?: string; channelId?: string } = {}): EphemeralMessage[] {
    return this.state.ephemerals(filter);
  }

  /** Every response to one interaction: the ack body (if any), then each post to its response_url. */
  responses(responseUrlId: string): ResponseUse[] {
    return this.responseUrls.get(responseUrlId)?.uses ?? [];
  }

  updates(channelId: string, ts: string): MessageVersion[] {
    return this.state.updates(channelId, ts);
  }

  calls(method?: string): ApiCall[] {
    return method ? this.callLog.filter((c) => c.method === method) : [...this.callLog];
  }

  failNext(method: string, fault: FaultSpec, times = 1): void {
    this.faults.failNext(method, fault, times);
  }

  /** Asks connected Socket Mode clients to reconnect (a `disconnect` message, as when Slack recycles a server). */
  requestSocketReconnect(): void {
    this.socket.requestReconnect();
  }

  /** Resolves with the predicate's first truthy result, re-checking on every change in the workspace. */
  waitFor<T>(predicate: () => T | undefined | null | false, opts: WaitOptions = {}): Promise<T> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const value = predicate();
        if (!value) return false;
        cleanup();
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`SlackEmulator.waitFor timed out after ${timeoutMs} ms${opts.description ? `: ${opts.description}` : ''}`));
      }, timeoutMs);
      const onChange = (): void => void check();
      const cleanup = (): void => {
        clearTimeout(timer);
        this.state.off('change', onChange);
      };
      this.state.on('change', onChange);
      check();
    });
  }

  /** The whole workspace as JSON, for the playground. */
  snapshot(): Record<string, unknown> {
    const channels = [...this.state.channels.values()];
    return {
      app: this.state.app,
      users: [...this.state.users.values()],
      userGroups: [...this.state.userGroups.values()],
      channels,
      messages: Object.fromEntries(channels.map((c) => [c.id, this.state.allMessages(c.id)])),
      ephemerals: this.state.ephemerals(),
      socketConnections: this.socket.connectionCount,
    };
  }

  async stop(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://slack').pathname;
    const api = /^\/api\/([\w.]+)$/.exec(path);
    if (api) {
      await this.holds.get(api[1]!)?.();
      return handleWebApi(this.webApi, api[1]!, req, res);
    }
    const response = /^\/response\/([\w-]+)$/.exec(path);
    if (response && req.method === 'POST') return this.handleResponseUrl(response[1]!, req, res);
    if (path.startsWith('/_emulator/')) return handleControl(this, path, req, res);
    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  private async handleResponseUrl(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const fault = this.faults.take('response_url');
    if (fault?.kind === 'ratelimited') return sendJson(res, 429, { ok: false, error: 'rate_limited' }, { 'Retry-After': String(fault.retryAfterSeconds) });
    if (fault?.kind === 'http') return void res.writeHead(fault.status, { 'Content-Type': 'text/plain' }).end('upstream service error');
    if (fault) return sendJson(res, 400, { ok: false, error: fault.error });
    const payload = mediaType(req) === 'application/json' ? parseJsonObject(text) : undefined;
    if (!payload) return sendJson(res, 400, { ok: false, error: 'invalid_payload' });
    const result = this.responseUrls.respond(id, payload as JsonObject, 'response_url');
    sendJson(res, result.status, result.body);
  }
}
