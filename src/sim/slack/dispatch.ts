import { request } from 'node:http';
import { parseJsonObject } from './http.js';
import {
  blockActionsPayload, locateClick, newTriggerId, slashCommandFields,
  type ButtonClickInput, type PayloadContext, type SlashCommandInput,
} from './payloads.js';
import type { ResponseUrls } from './response-urls.js';
import { signedHeaders, type SignOptions } from './signing.js';
import type { SocketModeServer } from './socket-mode.js';
import type { JsonObject } from './types.js';

/** Slack shows the user an error when the app has not answered within three seconds. */
export const ACK_DEADLINE_MS = 3000;

export interface DispatchResult {
  transport: 'http' | 'socket';
  /** The app's HTTP status; 200 for a Socket Mode ack. */
  status: number;
  /** The raw response body, or the ack payload as JSON. */
  body: string;
  /** Milliseconds until the first response byte (HTTP) or the ack envelope (Socket Mode). */
  ackMs: number;
  withinDeadline: boolean;
  responseUrl: string;
  responseUrlId: string;
  triggerId: string;
  /** The Socket Mode ack's payload. */
  ackPayload?: JsonObject;
}

/** Where one delivery goes: the app's request URL unless another is named (e.g. one of several app processes). */
export interface DeliveryOptions {
  requestUrl?: string;
}

/** An HTTP delivery as it was sent: the same bytes can be posted again, as Slack's at-least-once delivery may. */
export interface SentDelivery {
  type: 'slash_commands' | 'interactive';
  url: string;
  form: string;
  headers: Record<string, string>;
}

export interface DispatcherDeps extends PayloadContext {
  signingSecret: string;
  responseUrls: ResponseUrls;
  socket: SocketModeServer;
  /** Socket Mode apps receive everything over the WebSocket, never by HTTP. */
  socketMode: boolean;
  requestUrl(): string | undefined;
  /** Base of this emulator's own URLs, e.g. http://127.0.0.1:PORT */
  baseUrl(): string;
}

/** Sends user interactions to the app the way Slack does: signed form posts, or Socket Mode envelopes. */
export class Dispatcher {
  private last: SentDelivery | undefined;

  constructor(private readonly deps: DispatcherDeps) {}

  /** The most recent HTTP delivery, exactly as it was signed and sent. */
  lastDelivery(): SentDelivery | undefined {
    return this.last;
  }

  /**
   * Posts the most recent HTTP delivery again, byte for byte with the same
   * signature headers (to its URL, or to `requestUrl`): one interaction
   * delivered twice.
   */
  async redeliver(opts: DeliveryOptions = {}): Promise<{ status: number; body: string; ackMs: number; withinDeadline: boolean }> {
    const sent = this.last;
    if (!sent) throw new Error('SlackEmulator: nothing was delivered over HTTP yet, so there is nothing to redeliver');
    const res = await postForm(opts.requestUrl ?? sent.url, sent.form, sent.headers);
    return { ...res, withinDeadline: res.ackMs <= ACK_DEADLINE_MS };
  }

  async slashCommand(input: SlashCommandInput, sign: SignOptions = {}, to: DeliveryOptions = {}): Promise<DispatchResult> {
    const record = this.deps.responseUrls.create('slash_command', input.channelId, input.userId);
    const responseUrl = `${this.deps.baseUrl()}/response/${record.id}`;
    const triggerId = newTriggerId(this.deps.now());
    const fields = slashCommandFields(this.deps, input, responseUrl, triggerId);
    const result = await this.deliver('slash_commands', fields, new URLSearchParams(fields).toString(), sign, to);
    const done = { ...result, responseUrl, responseUrlId: record.id, triggerId };
    // The acknowledgement's body is the command's immediate reply, outside the response_url's five uses.
    const reply = immediateReply(done);
    if (reply) this.deps.responseUrls.respond(record.id, reply, 'ack');
    return done;
  }

  async clickButton(input: ButtonClickInput, sign: SignOptions = {}, to: DeliveryOptions = {}): Promise<DispatchResult> {
    const click = locateClick(this.deps.state, input);
    const target = { kind: click.target.kind, channel: input.channelId, ts: click.target.message.ts };
    const record = this.deps.responseUrls.create('block_actions', input.channelId, input.userId, target);
    const responseUrl = `${this.deps.baseUrl()}/response/${record.id}`;
    const triggerId = newTriggerId(this.deps.now());
    const payload = blockActionsPayload(this.deps, input, click, responseUrl, triggerId);
    const form = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const result = await this.deliver('interactive', payload, form, sign, to);
    return { ...result, responseUrl, responseUrlId: record.id, triggerId };
  }

  private async deliver(
    type: 'slash_commands' | 'interactive',
    payload: JsonObject,
    form: string,
    sign: SignOptions,
    to: DeliveryOptions,
  ): Promise<Omit<DispatchResult, 'responseUrl' | 'responseUrlId' | 'triggerId'>> {
    if (this.deps.socketMode) {
      const ack = await this.deps.socket.deliver(type, payload);
      return { transport: 'socket', status: 200, body: JSON.stringify(ack.payload ?? {}), ackMs: ack.ackMs, withinDeadline: ack.ackMs <= ACK_DEADLINE_MS, ...(ack.payload ? { ackPayload: ack.payload } : {}) };
    }
    const url = to.requestUrl ?? this.deps.requestUrl();
    if (!url) throw new Error('SlackEmulator: no request URL configured (pass requestUrl or call setRequestUrl)');
    const headers = signedHeaders(this.deps.signingSecret, form, sign);
    this.last = { type, url, form, headers };
    const res = await postForm(url, form, headers);
    return { transport: 'http', ...res, withinDeadline: res.ackMs <= ACK_DEADLINE_MS };
  }
}

function immediateReply(result: DispatchResult): JsonObject | undefined {
  if (result.status !== 200) return undefined;
  const payload = result.ackPayload ?? (result.body.trim() ? (parseJsonObject(result.body) as JsonObject | undefined) ?? { text: result.body } : undefined);
  if (!payload || (payload.text === undefined && payload.blocks === undefined)) return undefined;
  return payload;
}

/** Posts like Slack's delivery service and times the first byte of the answer. */
function postForm(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string; ackMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
          ...headers,
        },
      },
      (res) => {
        const ackMs = performance.now() - started;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ackMs }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
