import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeTlsMaterial, type TlsMaterial } from './certs.js';
import { handleControl } from './control-api.js';
import { FaultPlan, type Fault, type FaultRoute } from './faults.js';
import type { PagerDutyEmulatorOptions } from './options.js';
import { checkFixture, DEFAULT_API_TOKEN, defaultFixture } from './fixtures.js';
import { sendJson } from './http.js';
import { HttpsListener } from './listener.js';
import { SlidingWindowLimit } from './rate-limit.js';
import { Renderer, type Links } from './render.js';
import { routeHttps, type RestCall, type RouteDeps } from './routes.js';
import { AccountState } from './state.js';
import type { Agent, IncidentEventType, ReceivedEvent, SimIncident } from './types.js';
import { waitForChange, type WaitOptions } from './wait.js';
import { WebhookSender, type CustomDelivery, type WebhookDelivery, type WebhookSubscription } from './webhooks.js';

/**
 * PagerDuty on loopback: the Events API v2 and REST API v2 over HTTPS with a
 * throw-away CA (`caFile`), signed v3 webhooks to the bot, fault injection,
 * and inspection in-process or over the plain-HTTP control API.
 */
export class PagerDutyEmulator {
  readonly state: AccountState;
  readonly webhooks: WebhookSender;
  readonly faults: FaultPlan;
  private readonly limit: SlidingWindowLimit;
  private readonly restCallLog: RestCall[] = [];
  private readonly counterMap = new Map<string, Map<string, number>>();
  private readonly tokens: Set<string>;
  private readonly links: Links;
  private readonly render: Renderer;
  private listener!: HttpsListener;
  private readonly control: Server;
  private tls!: TlsMaterial;
  private origin = '';
  private controlOrigin = '';

  private constructor(private readonly opts: PagerDutyEmulatorOptions) {
    const now = opts.now ?? Date.now;
    const base = defaultFixture(opts.routingKeys);
    const fixture = {
      users: opts.users ?? base.users,
      schedules: opts.schedules ?? base.schedules,
      escalationPolicies: opts.escalationPolicies ?? base.escalationPolicies,
      services: opts.services ?? base.services,
    };
    checkFixture(fixture);
    this.state = new AccountState(fixture, now);
    this.faults = new FaultPlan(now);
    this.limit = new SlidingWindowLimit(opts.eventsPerMinute ?? 120, now);
    this.tokens = new Set(opts.apiTokens ?? [DEFAULT_API_TOKEN]);
    // `self` links point at this emulator (as they point at api.pagerduty.com) once it listens.
    this.links = { api: '', web: opts.webUrl ?? 'https://deploy-medic.pagerduty.com' };
    this.render = new Renderer(this.state, this.links);
    this.webhooks = new WebhookSender(this.state, this.render, { retryDelaysMs: opts.webhookRetryDelaysMs ?? [250, 500, 1000, 2000], timeoutMs: opts.webhookTimeoutMs ?? 5000 });
    this.control = createServer((req, res) => {
      handleControl(this, req, res).catch((e: unknown) => sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) }));
    });
  }

  static async start(opts: PagerDutyEmulatorOptions = {}): Promise<PagerDutyEmulator> {
    const emulator = new PagerDutyEmulator(opts);
    await emulator.listen();
    return emulator;
  }

  private async listen(): Promise<void> {
    const host = this.opts.host ?? '127.0.0.1';
    this.tls = await makeTlsMaterial([...new Set([host, '127.0.0.1', '::1', 'localhost'])]);
    const deps: RouteDeps = { state: this.state, render: this.render, tokens: this.tokens, faults: this.faults, limit: this.limit, restCalls: this.restCallLog, counters: this.counterMap };
    this.listener = new HttpsListener(this.tls, (req, res) => {
      routeHttps(deps, req, res).catch((e: unknown) => {
        if (res.headersSent) return void res.destroy();
        sendJson(res, 500, { error: { message: `emulator bug: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, code: 2000 } });
      });
    }, host, () => this.state.emit('change'));
    const port = await this.listener.listen(this.opts.port ?? 0);
    this.origin = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.links.api = this.origin;
    await new Promise<void>((resolve, reject) => {
      this.control.once('error', reject);
      this.control.listen(this.opts.controlPort ?? 0, host, () => resolve());
    });
    this.controlOrigin = `http://${host.includes(':') ? `[${host}]` : host}:${(this.control.address() as AddressInfo).port}`;
    if (this.opts.webhook) this.webhooks.subscribe(this.opts.webhook);
  }

  /** `https://127.0.0.1:PORT`: the Events API (`/v2/enqueue`) and the REST API share it. */
  get url(): string {
    return this.origin;
  }

  /** `127.0.0.1:PORT`, what pdjs takes as `server` for both `event()` and `api()`. */
  get server(): string {
    return this.origin.replace(/^https:\/\//, '');
  }

  /** The PEM file of the CA that signed the emulator's certificate. */
  get caFile(): string {
    return this.tls.caFile;
  }

  get ca(): Buffer {
    return this.tls.ca;
  }

  get controlUrl(): string {
    return this.controlOrigin;
  }

  get apiToken(): string {
    return [...this.tokens][0]!;
  }

  /** Service name → routing key. */
  get routingKeys(): Record<string, string> {
    return Object.fromEntries([...this.state.services.values()].map((s) => [s.name.replace(/^.*\((.+)\)$/, '$1'), s.routingKey]));
  }

  /** The bot's PagerDuty settings for this emulator. */
  env(): Record<string, string> {
    const sub = [...this.webhooks.subscriptions.values()][0];
    return {
      PAGERDUTY_EVENTS_URL: this.origin,
      PAGERDUTY_API_URL: this.origin,
      PAGERDUTY_API_TOKEN: this.apiToken,
      PAGERDUTY_CA_FILE: this.caFile,
      ...(sub ? { PAGERDUTY_WEBHOOK_SECRET: sub.secrets[0]! } : {}),
    };
  }

  // ── inspection ──

  /** Every request to /v2/enqueue, in arrival order (faulted and refused ones too). */
  events(filter: { routingKey?: string; dedupKey?: string; status?: ReceivedEvent['status'] } = {}): ReceivedEvent[] {
    return this.state.received.filter(
      (e) => (filter.routingKey === undefined || e.routingKey === filter.routingKey) && (filter.dedupKey === undefined || e.dedupKey === filter.dedupKey) && (filter.status === undefined || e.status === filter.status),
    );
  }

  incidents(filter: { dedupKey?: string; status?: SimIncident['status']; serviceId?: string } = {}): SimIncident[] {
    return [...this.state.incidents.values()].filter(
      (i) => (filter.dedupKey === undefined || i.incidentKey === filter.dedupKey) && (filter.status === undefined || i.status === filter.status) && (filter.serviceId === undefined || i.serviceId === filter.serviceId),
    );
  }

  incident(id: string): SimIncident {
    return this.state.incident(id);
  }

  restCalls(): RestCall[] {
    return [...this.restCallLog];
  }

  /** Answers per route (`enqueue`, `oncalls`, `incidents`, `other`) and status: `{enqueue: {"202": 3, "429": 1}}`. */
  counters(): Record<string, Record<string, number>> {
    return Object.fromEntries([...this.counterMap].map(([route, m]) => [route, Object.fromEntries(m)]));
  }

  deliveries(filter: { eventType?: string; incidentId?: string; subscriptionId?: string } = {}): WebhookDelivery[] {
    return this.webhooks.deliveries.filter(
      (d) => (filter.eventType === undefined || d.eventType === filter.eventType) && (filter.incidentId === undefined || d.incidentId === filter.incidentId) && (filter.subscriptionId === undefined || d.subscriptionId === filter.subscriptionId),
    );
  }

  // ── webhooks ──

  subscribeWebhooks(input: { url: string; secret?: string; secrets?: string[]; events?: IncidentEventType[] }): WebhookSubscription {
    return this.webhooks.subscribe(input);
  }

  /** Two secrets sign every delivery with both: a rotation in progress. */
  setWebhookSecrets(subscriptionId: string, secrets: string[]): void {
    this.webhooks.setSecrets(subscriptionId, secrets);
  }

  sendWebhook(delivery: CustomDelivery): Promise<WebhookDelivery> {
    return this.webhooks.send(delivery);
  }

  replayWebhook(webhookId: string): Promise<WebhookDelivery> {
    return this.webhooks.replay(webhookId);
  }

  /** Resolves when no delivery is pending (retries included). */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  // ── acting as the on-call ──

  acknowledge(incidentId: string, userId = this.firstAssignee(incidentId)): SimIncident {
    return this.state.acknowledge(incidentId, this.asUser(userId), 'emulator');
  }

  resolve(incidentId: string, userId = this.firstAssignee(incidentId)): SimIncident {
    return this.state.resolve(incidentId, this.asUser(userId), 'emulator');
  }

  escalate(incidentId: string, toLevel?: number): SimIncident {
    const incident = this.state.incident(incidentId);
    return this.state.escalate(incidentId, { type: 'service_reference', id: incident.serviceId }, 'emulator', toLevel);
  }

  reassign(incidentId: string, userIds: string[], byUserId = this.firstAssignee(incidentId)): SimIncident {
    return this.state.reassign(incidentId, userIds, this.asUser(byUserId), 'emulator');
  }

  addNote(incidentId: string, content: string, userId = this.firstAssignee(incidentId)): SimIncident {
    return this.state.addNote(incidentId, content, userId, 'emulator');
  }

  setOnCall(scheduleId: string, userId: string): void {
    this.state.setOnCall(scheduleId, userId);
  }

  // ── faults ──

  failNext(route: FaultRoute, fault: Fault, times = 1): void {
    this.faults.failNext(route, fault, times);
  }

  failFor(route: FaultRoute, fault: Fault, ms: number): void {
    this.faults.failFor(route, fault, ms);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Takes the HTTPS port down (connections refused, open ones cut) until `acceptConnections`, or for `forMs`. */
  refuseConnections(forMs?: number): Promise<void> {
    return this.listener.refuse(forMs);
  }

  acceptConnections(): Promise<void> {
    return this.listener.accept();
  }

  get acceptingConnections(): boolean {
    return this.listener.listening;
  }

  /** Forgets the events counted against the per-routing-key limit. */
  resetRateLimits(): void {
    this.limit.reset();
  }

  /** Resolves with the predicate's first truthy result, re-checking on every change. */
  waitFor<T>(predicate: () => T | undefined | null | false, opts: WaitOptions = {}): Promise<T> {
    return waitForChange(this.state, predicate, opts);
  }

  /** The whole account as JSON, for the playground. */
  snapshot(): Record<string, unknown> {
    return {
      url: this.origin,
      services: [...this.state.services.values()],
      users: [...this.state.users.values()],
      schedules: [...this.state.schedules.values()],
      escalationPolicies: [...this.state.policies.values()],
      incidents: this.incidents(),
      subscriptions: [...this.webhooks.subscriptions.values()],
      counters: this.counters(),
      acceptingConnections: this.acceptingConnections,
    };
  }

  async stop(): Promise<void> {
    this.webhooks.close();
    await this.listener.close();
    this.control.closeAllConnections();
    await new Promise<void>((resolve) => this.control.close(() => resolve()));
    await rm(this.tls.dir, { recursive: true, force: true });
  }

  private firstAssignee(incidentId: string): string {
    const incident = this.state.incident(incidentId);
    const id = incident.assigneeIds[0];
    if (!id) throw new Error(`incident ${incidentId} has no assignee to act as`);
    return id;
  }

  private asUser(userId: string): Agent {
    if (!this.state.users.has(userId)) throw new Error(`no user ${userId}`);
    return { type: 'user_reference', id: userId };
  }
}

export type { PagerDutyEmulatorOptions } from './options.js';
