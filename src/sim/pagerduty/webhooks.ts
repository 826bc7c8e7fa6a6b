import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isObject, pagerDutyId } from './http.js';
import type { Renderer } from './render.js';
import { signatureHeader } from './signing.js';
import type { AccountState } from './state.js';
import type { IncidentEventType, OutboundEvent } from './types.js';

/**
 * Webhooks v3 delivery: one POST per event and subscription, signed with
 * every current secret, retried on a timeout, connection error, 429 or 5xx
 * with the same X-Webhook-Id, dropped on another 4xx. Deliveries of one
 * subscription go out one at a time, in order, as PagerDuty queues them
 * behind a failing one.
 */

export const INCIDENT_EVENT_TYPES: readonly IncidentEventType[] = [
  'incident.triggered', 'incident.acknowledged', 'incident.resolved', 'incident.escalated', 'incident.reassigned', 'incident.annotated',
];

export interface WebhookSubscription {
  id: string;
  url: string;
  /** The first signs alone; two while a secret rotates. */
  secrets: string[];
  events: IncidentEventType[];
}

export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
  responseBody?: string;
}

export interface WebhookDelivery {
  webhookId: string;
  subscriptionId: string;
  eventType: string | null;
  incidentId: string | null;
  url: string;
  body: string;
  headers: Record<string, string>;
  attempts: DeliveryAttempt[];
  outcome: 'pending' | 'delivered' | 'failed' | 'dropped';
  /** Sent through the test API rather than caused by an incident change. */
  custom: boolean;
}

export interface CustomDelivery {
  subscriptionId?: string;
  /** With `incidentId`: a genuine envelope for that incident. */
  eventType?: IncidentEventType;
  incidentId?: string;
  /** Or any body at all (an object is serialised). */
  body?: string | Record<string, unknown>;
  signature?: 'valid' | 'wrong' | 'missing' | { header: string };
  /** Reuse an earlier delivery's id, as a replay would. */
  webhookId?: string;
  retry?: boolean;
}

export interface SenderOptions {
  retryDelaysMs: number[];
  timeoutMs: number;
}

export class WebhookSender {
  readonly subscriptions = new Map<string, WebhookSubscription>();
  readonly deliveries: WebhookDelivery[] = [];
  private readonly tails = new Map<string, Promise<void>>();
  private readonly stop = new AbortController();

  constructor(
    private readonly state: AccountState,
    private readonly render: Renderer,
    private readonly opts: SenderOptions,
  ) {
    state.on('outbound', (ev: OutboundEvent) => this.fanOut(ev));
  }

  subscribe(input: { url: string; secret?: string; secrets?: string[]; events?: IncidentEventType[]; id?: string }): WebhookSubscription {
    const secrets = input.secrets ?? [input.secret ?? randomBytes(24).toString('base64url')];
    const sub = { id: input.id ?? pagerDutyId('P'), url: input.url, secrets, events: input.events ?? [...INCIDENT_EVENT_TYPES] };
    this.subscriptions.set(sub.id, sub);
    this.state.emit('change');
    return sub;
  }

  setSecrets(id: string, secrets: string[]): void {
    if (secrets.length === 0) throw new Error('a subscription needs at least one secret');
    this.subscription(id).secrets = secrets;
  }

  unsubscribe(id: string): void {
    this.subscriptions.delete(id);
  }

  /** Resolves once the delivery (and its retries, if asked) is over. */
  send(custom: CustomDelivery): Promise<WebhookDelivery> {
    const sub = custom.subscriptionId ? this.subscription(custom.subscriptionId) : [...this.subscriptions.values()][0];
    if (!sub) throw new Error('no webhook subscription to send through');
    let body: string;
    if (custom.body !== undefined) body = typeof custom.body === 'string' ? custom.body : JSON.stringify(custom.body);
    else if (custom.eventType && custom.incidentId) {
      const incident = this.state.incident(custom.incidentId);
      const agent = { type: 'service_reference' as const, id: incident.serviceId };
      body = this.envelope({ eventType: custom.eventType, incidentId: incident.id, occurredAt: this.state.iso(), agent, client: null, note: incident.notes.at(-1) });
    } else throw new Error('give a body, or an eventType and an incidentId');
    const signature = custom.signature ?? 'valid';
    const header =
      signature === 'valid' ? signatureHeader(sub.secrets, body)
      : signature === 'wrong' ? signatureHeader([`${sub.secrets[0]}-not-the-secret`], body)
      : signature === 'missing' ? undefined
      : signature.header;
    const meta = isObject(custom.body) && isObject(custom.body.event) ? custom.body.event : undefined;
    const delivery = this.delivery(sub, body, header, custom.webhookId, true, custom.eventType ?? (typeof meta?.event_type === 'string' ? meta.event_type : null), custom.incidentId ?? null);
    return this.enqueue(delivery, custom.retry ?? false);
  }

  /** The same bytes and headers again, X-Webhook-Id included: what a replay attacker (or a duplicate) sends. */
  replay(webhookId: string): Promise<WebhookDelivery> {
    const original = this.deliveries.find((d) => d.webhookId === webhookId);
    if (!original) throw new Error(`no delivery ${webhookId}`);
    const copy: WebhookDelivery = { ...original, headers: { ...original.headers }, attempts: [], outcome: 'pending', custom: true };
    this.deliveries.push(copy);
    return this.enqueue(copy, false);
  }

  /** Resolves when every queued delivery has finished. */
  async idle(): Promise<void> {
    while (this.deliveries.some((d) => d.outcome === 'pending')) await Promise.all([...this.tails.values()]);
  }

  close(): void {
    this.stop.abort();
  }

  private subscription(id: string): WebhookSubscription {
    const sub = this.subscriptions.get(id);
    if (!sub) throw new Error(`no webhook subscription ${id}`);
    return sub;
  }

  private fanOut(ev: OutboundEvent): void {
    for (const sub of this.subscriptions.values()) {
      if (!sub.events.includes(ev.eventType)) continue;
      const body = this.envelope(ev);
      void this.enqueue(this.delivery(sub, body, signatureHeader(sub.secrets, body), undefined, false, ev.eventType, ev.incidentId), true);
    }
  }

  private envelope(ev: OutboundEvent): string {
    const incident = this.state.incident(ev.incidentId);
    const data = ev.eventType === 'incident.annotated' && ev.note ? this.render.webhookNote(incident, ev.note) : this.render.webhookIncident(incident);
    const event = { id: randomUUID(), event_type: ev.eventType, resource_type: 'incident', occurred_at: ev.occurredAt, agent: this.render.agent(ev.agent), client: ev.client, data };
    return JSON.stringify({ event });
  }

  private delivery(sub: WebhookSubscription, body: string, signature: string | undefined, webhookId: string | undefined, custom: boolean, eventType: string | null, incidentId: string | null): WebhookDelivery {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'PagerDuty-Webhook/V3.0',
      'X-Webhook-Id': webhookId ?? randomUUID(),
      'X-Webhook-Subscription': sub.id,
      ...(signature !== undefined ? { 'X-PagerDuty-Signature': signature } : {}),
    };
    const d: WebhookDelivery = { webhookId: headers['X-Webhook-Id']!, subscriptionId: sub.id, eventType, incidentId, url: sub.url, body, headers, attempts: [], outcome: 'pending', custom };
    this.deliveries.push(d);
    return d;
  }

  private enqueue(d: WebhookDelivery, retry: boolean): Promise<WebhookDelivery> {
    const run = (this.tails.get(d.subscriptionId) ?? Promise.resolve()).then(() => this.deliver(d, retry));
    this.tails.set(d.subscriptionId, run);
    return run.then(() => d);
  }

  private async deliver(d: WebhookDelivery, retry: boolean): Promise<void> {
    const delays = retry ? this.opts.retryDelaysMs : [];
    for (let attempt = 0; ; attempt++) {
      if (this.stop.signal.aborted) return this.finish(d, 'failed');
      const result = await this.attempt(d);
      if (result === 'ok') return this.finish(d, 'delivered');
      if (result === 'permanent') return this.finish(d, 'dropped');
      const delay = delays[attempt];
      if (delay === undefined) return this.finish(d, 'failed');
      try {
        await sleep(delay, undefined, { signal: this.stop.signal });
      } catch {
        return this.finish(d, 'failed');
      }
    }
  }

  private async attempt(d: WebhookDelivery): Promise<'ok' | 'retry' | 'permanent'> {
    const started = Date.now();
    const record = (a: Omit<DeliveryAttempt, 'at' | 'durationMs'>): void => {
      d.attempts.push({ at: this.state.iso(), durationMs: Date.now() - started, ...a });
      this.state.emit('change');
    };
    try {
      const signal = AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.stop.signal]);
      const res = await fetch(d.url, { method: 'POST', headers: d.headers, body: d.body, signal, redirect: 'manual' });
      record({ status: res.status, responseBody: (await res.text()).slice(0, 2000) });
      if (res.ok) return 'ok';
      return res.status === 429 || res.status >= 500 ? 'retry' : 'permanent';
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      record({ error: err.name === 'TimeoutError' ? 'timeout' : err.cause?.code ?? err.message });
      return 'retry';
    }
  }

  private finish(d: WebhookDelivery, outcome: WebhookDelivery['outcome']): void {
    d.outcome = outcome;
    this.state.emit('change');
  }
}
