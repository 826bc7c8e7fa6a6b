import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ValidEvent } from './event-validation.js';
import { pagerDutyId } from './http.js';
import type {
  Agent, IncidentEventType, OutboundEvent, PagerDutyFixture, ReceivedEvent, Severity, SimEscalationPolicy,
  SimIncident, SimSchedule, SimService, SimUser, StateChange,
} from './types.js';

/** A refused REST action, with PagerDuty's error code (1001 "Incident Already Resolved", …). */
export class ActionError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}

type Via = StateChange['via'];
export interface EventOutcome {
  outcome: ReceivedEvent['outcome'];
  dedupKey: string;
  incidentId?: string;
}

/**
 * The account: fixtures, incidents and the events that made them. Emits
 * `outbound` for each incident change a webhook reports, and `change` on
 * every mutation (what `waitFor` listens to).
 */
export class AccountState extends EventEmitter {
  readonly users: Map<string, SimUser>;
  readonly schedules: Map<string, SimSchedule>;
  readonly policies: Map<string, SimEscalationPolicy>;
  readonly services: Map<string, SimService>;
  readonly incidents = new Map<string, SimIncident>();
  readonly received: ReceivedEvent[] = [];
  /** `serviceId \0 dedupKey` → the incident whose alert is open under that key. */
  private readonly open = new Map<string, string>();
  private nextNumber = 1;

  constructor(
    fixture: PagerDutyFixture,
    readonly now: () => number,
  ) {
    super();
    this.users = new Map(fixture.users.map((u) => [u.id, u]));
    this.schedules = new Map(fixture.schedules.map((s) => [s.id, s]));
    this.policies = new Map(fixture.escalationPolicies.map((p) => [p.id, p]));
    this.services = new Map(fixture.services.map((s) => [s.id, s]));
  }

  iso(): string {
    return new Date(this.now()).toISOString();
  }

  serviceForKey(routingKey: string): SimService | undefined {
    return [...this.services.values()].find((s) => s.routingKey === routingKey);
  }

  userByEmail(email: string): SimUser | undefined {
    return [...this.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  /** Who a policy's level pages: the users it names and whoever is on call on the schedules it names. */
  onCallAt(policyId: string, level: number): string[] {
    const rule = this.policies.get(policyId)?.rules[level - 1];
    const ids = (rule?.targets ?? []).map((t) => (t.type === 'user' ? t.id : this.schedules.get(t.id)?.onCallUserId));
    return [...new Set(ids.filter((id): id is string => id !== undefined))];
  }

  setOnCall(scheduleId: string, userId: string): void {
    const schedule = this.schedules.get(scheduleId);
    if (!schedule || !this.users.has(userId)) throw new Error(`no schedule ${scheduleId} or user ${userId}`);
    schedule.onCallUserId = userId;
    this.emit('change');
  }

  record(entry: Omit<ReceivedEvent, 'seq' | 'at'>): ReceivedEvent {
    const rec = { seq: this.received.length + 1, at: this.iso(), ...entry };
    this.received.push(rec);
    this.emit('change');
    return rec;
  }

  /** An accepted Events API v2 event: opens or adds to the alert under its dedup_key, or acks/resolves it. */
  applyEvent(ev: ValidEvent): EventOutcome {
    const dedupKey = ev.dedupKey ?? randomUUID().replaceAll('-', '');
    const service = this.serviceForKey(ev.routingKey);
    if (!service) return { outcome: 'dropped', dedupKey };
    const agent: Agent = { type: 'service_reference', id: service.id };
    const client = ev.client ? { name: ev.client, ...(ev.clientUrl ? { url: ev.clientUrl } : {}) } : null;
    const openId = this.open.get(`${service.id}\0${dedupKey}`);
    const incident = openId ? this.incidents.get(openId) : undefined;
    if (ev.eventAction === 'trigger') {
      if (!incident) return { outcome: 'created', dedupKey, incidentId: this.openIncident(service, dedupKey, ev, agent, client).id };
      incident.alert.triggerCount++;
      this.change(incident, 'trigger_appended', agent, 'events_api');
      return { outcome: 'appended', dedupKey, incidentId: incident.id };
    }
    // Acknowledges and resolves without an open alert on this routing key are dropped, as PagerDuty does.
    if (!incident) return { outcome: 'dropped', dedupKey };
    if (ev.eventAction === 'acknowledge') {
      if (incident.status === 'triggered') this.acknowledge(incident.id, agent, 'events_api', client);
      return { outcome: 'acknowledged', dedupKey, incidentId: incident.id };
    }
    this.resolve(incident.id, agent, 'events_api', client);
    return { outcome: 'resolved', dedupKey, incidentId: incident.id };
  }

  acknowledge(id: string, agent: Agent, via: Via, client: OutboundEvent['client'] = null): SimIncident {
    const incident = this.incident(id);
    if (incident.status === 'resolved') throw new ActionError(400, 1001, 'Incident Already Resolved');
    incident.status = 'acknowledged';
    incident.acknowledgements.push({ at: this.iso(), agent });
    incident.lastStatusChange = { at: this.iso(), agent };
    return this.change(incident, 'incident.acknowledged', agent, via, client);
  }

  resolve(id: string, agent: Agent, via: Via, client: OutboundEvent['client'] = null): SimIncident {
    const incident = this.incident(id);
    if (incident.status === 'resolved') throw new ActionError(400, 1001, 'Incident Already Resolved');
    incident.status = 'resolved';
    incident.alert.resolvedAt = this.iso();
    incident.lastStatusChange = { at: this.iso(), agent };
    this.open.delete(`${incident.serviceId}\0${incident.incidentKey}`);
    return this.change(incident, 'incident.resolved', agent, via, client);
  }

  /** To the next level (or `toLevel`); an acknowledged incident is triggered again, as PagerDuty does. */
  escalate(id: string, agent: Agent, via: Via, toLevel?: number): SimIncident {
    const incident = this.openIncidentById(id);
    const levels = this.policies.get(incident.escalationPolicyId)?.rules.length ?? 1;
    const level = toLevel ?? incident.escalationLevel + 1;
    if (level < 1 || level > levels || level === incident.escalationLevel) throw new ActionError(400, 1006, 'Cannot Escalate');
    incident.escalationLevel = level;
    incident.assigneeIds = this.onCallAt(incident.escalationPolicyId, level);
    this.retrigger(incident, agent);
    return this.change(incident, 'incident.escalated', agent, via);
  }

  reassign(id: string, userIds: string[], agent: Agent, via: Via): SimIncident {
    const incident = this.openIncidentById(id);
    const unknown = userIds.filter((u) => !this.users.has(u));
    if (unknown.length || userIds.length === 0) throw new ActionError(400, 1007, 'Assigned To User Not Found', unknown);
    incident.assigneeIds = [...new Set(userIds)];
    this.retrigger(incident, agent);
    return this.change(incident, 'incident.reassigned', agent, via);
  }

  addNote(id: string, content: string, userId: string, via: Via): SimIncident {
    const incident = this.incident(id);
    const note = { id: pagerDutyId('P'), content, userId, createdAt: this.iso() };
    incident.notes.push(note);
    return this.change(incident, 'incident.annotated', { type: 'user_reference', id: userId }, via, null, note);
  }

  incident(id: string): SimIncident {
    const incident = this.incidents.get(id);
    if (!incident) throw new ActionError(404, 2100, 'Not Found');
    return incident;
  }

  private openIncidentById(id: string): SimIncident {
    const incident = this.incident(id);
    if (incident.status === 'resolved') throw new ActionError(400, 1001, 'Incident Already Resolved');
    return incident;
  }

  private retrigger(incident: SimIncident, agent: Agent): void {
    if (incident.status !== 'acknowledged') return;
    incident.status = 'triggered';
    incident.acknowledgements = [];
    incident.lastStatusChange = { at: this.iso(), agent };
  }

  private openIncident(service: SimService, dedupKey: string, ev: ValidEvent, agent: Agent, client: OutboundEvent['client']): SimIncident {
    const severity = ev.payload.severity as Severity;
    const urgency = service.urgency === 'severity_based' ? (severity === 'critical' || severity === 'error' ? 'high' : 'low') : service.urgency;
    const at = this.iso();
    const incident: SimIncident = {
      id: this.freshId(),
      number: this.nextNumber++,
      title: String(ev.payload.summary),
      status: 'triggered',
      incidentKey: dedupKey,
      serviceId: service.id,
      escalationPolicyId: service.escalationPolicyId,
      escalationLevel: 1,
      urgency,
      severity,
      assigneeIds: this.onCallAt(service.escalationPolicyId, 1),
      acknowledgements: [],
      createdAt: at,
      updatedAt: at,
      lastStatusChange: { at, agent },
      alert: { id: this.freshId(), body: { payload: ev.payload, client: ev.client, client_url: ev.clientUrl }, triggerCount: 1, resolvedAt: null },
      notes: [],
      history: [],
    };
    this.incidents.set(incident.id, incident);
    this.open.set(`${service.id}\0${dedupKey}`, incident.id);
    return this.change(incident, 'incident.triggered', agent, 'events_api', client);
  }

  private change(
    incident: SimIncident,
    type: StateChange['type'],
    agent: Agent,
    via: Via,
    client: OutboundEvent['client'] = null,
    note?: OutboundEvent['note'],
  ): SimIncident {
    const at = this.iso();
    incident.updatedAt = at;
    incident.history.push({ at, type, status: incident.status, agent, via });
    if (type !== 'trigger_appended') {
      const event: OutboundEvent = { eventType: type as IncidentEventType, incidentId: incident.id, occurredAt: at, agent, client, ...(note ? { note } : {}) };
      this.emit('outbound', event);
    }
    this.emit('change');
    return incident;
  }

  private freshId(): string {
    let id = pagerDutyId();
    while (this.incidents.has(id)) id = pagerDutyId();
    return id;
  }
}
