import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { api, event } from '@pagerduty/pdjs';
import type { EventParameters, EventPayloadV2 } from '@pagerduty/pdjs/build/src/events.js';
import { PagerDutyEmulator, type PagerDutyEmulatorOptions } from '../../src/sim/pagerduty/emulator.js';

export const L1 = 'l1devops000000000000000000000001';
export const L2 = 'l2backend00000000000000000000002';

/**
 * pdjs fetches with cross-fetch, which is node-fetch 2 on Node: it takes an
 * `agent` option (passed straight through pdjs), and an https.Agent carries
 * the CA to trust. pdjs's types extend the DOM RequestInit, which has no
 * `agent`, hence the widening.
 */
export function trustingAgent(caFile: string): Agent {
  return new Agent({ ca: readFileSync(caFile), keepAlive: true });
}

export interface Pd {
  em: PagerDutyEmulator;
  agent: Agent;
  send(data: Partial<EventPayloadV2> & Record<string, unknown>, extra?: Partial<EventParameters>): ReturnType<typeof event>;
  rest: ReturnType<typeof api>;
  stop(): Promise<void>;
}

export async function startPd(opts: PagerDutyEmulatorOptions = {}): Promise<Pd> {
  const em = await PagerDutyEmulator.start(opts);
  const agent = trustingAgent(em.caFile);
  const send: Pd['send'] = (data, extra = {}) => event({ server: em.server, data: data as EventPayloadV2, ...extra, ...({ agent } as object) });
  const rest = api({ token: em.apiToken, server: em.server, ...({ agent } as object) });
  return {
    em,
    agent,
    send,
    rest,
    stop: async () => {
      agent.destroy();
      await em.stop();
    },
  };
}

export function trigger(dedupKey: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    routing_key: L1,
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: { summary: `Rollout of api-server failed (${dedupKey})`, source: 'prod/production', severity: 'critical', component: 'api-server' },
    ...overrides,
  };
}

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The bot's side of the webhooks: records each POST raw, answers the queued statuses (then 202). */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly answers: number[] = [];
  private server!: Server;
  url = '';

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    r.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        r.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(r.answers.shift() ?? 202).end();
      });
    });
    await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', () => resolve()));
    r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/webhooks/pagerduty`;
    return r;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
