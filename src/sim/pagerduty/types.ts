/** The emulated PagerDuty account: who exists, who is on call, which services take events. */

export interface SimUser {
  /** A PagerDuty ID: seven characters, e.g. PALICE0. */
  id: string;
  name: string;
  email: string;
  timeZone?: string;
}

/** A one-layer schedule: whoever is on call now. */
export interface SimSchedule {
  id: string;
  name: string;
  onCallUserId: string;
}

export interface EscalationTarget {
  type: 'schedule' | 'user';
  id: string;
}

export interface SimEscalationPolicy {
  id: string;
  name: string;
  /** Level 1 is the first rule. */
  rules: { escalationDelayInMinutes: number; targets: EscalationTarget[] }[];
}

/** `severity_based`: critical and error page at high urgency, warning and info at low. */
export type UrgencyRule = 'high' | 'low' | 'severity_based';

export interface SimService {
  id: string;
  name: string;
  /** The Events API v2 integration key (32 characters) that routes events here. */
  routingKey: string;
  escalationPolicyId: string;
  urgency: UrgencyRule;
}

export interface PagerDutyFixture {
  users: SimUser[];
  schedules: SimSchedule[];
  escalationPolicies: SimEscalationPolicy[];
  services: SimService[];
}

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Severity = 'critical' | 'error' | 'warning' | 'info';

/** Who caused a change, as PagerDuty's `agent` reference. */
export interface Agent {
  type: 'user_reference' | 'service_reference';
  id: string;
}

export type IncidentEventType =
  | 'incident.triggered'
  | 'incident.acknowledged'
  | 'incident.resolved'
  | 'incident.escalated'
  | 'incident.reassigned'
  | 'incident.annotated';

export interface StateChange {
  at: string;
  /** `trigger_appended`: a trigger event added to the open alert without changing the incident. */
  type: IncidentEventType | 'trigger_appended';
  status: IncidentStatus;
  agent: Agent;
  via: 'events_api' | 'rest_api' | 'emulator';
}

export interface IncidentNote {
  id: string;
  content: string;
  userId: string;
  createdAt: string;
}

/** An alert and its incident are one thing here: PagerDuty without alert grouping. */
export interface SimIncident {
  id: string;
  number: number;
  title: string;
  status: IncidentStatus;
  incidentKey: string;
  serviceId: string;
  escalationPolicyId: string;
  escalationLevel: number;
  urgency: 'high' | 'low';
  severity: Severity;
  assigneeIds: string[];
  acknowledgements: { at: string; agent: Agent }[];
  createdAt: string;
  updatedAt: string;
  lastStatusChange: { at: string; agent: Agent };
  /** The trigger event's payload, links and images, and how many triggers the alert took. */
  alert: { id: string; body: Record<string, unknown>; triggerCount: number; resolvedAt: string | null };
  notes: IncidentNote[];
  history: StateChange[];
}

/** An incident change the webhook subscriptions hear about. */
export interface OutboundEvent {
  eventType: IncidentEventType;
  incidentId: string;
  occurredAt: string;
  agent: Agent;
  client: { name: string; url?: string } | null;
  note?: IncidentNote;
}

export interface ReceivedEvent {
  seq: number;
  at: string;
  status: number | 'reset' | 'stalled';
  routingKey?: string;
  dedupKey?: string;
  eventAction?: string;
  /** The parsed body, or the raw text when it was not JSON. */
  body: unknown;
  errors?: string[];
  /** What the event did: dropped events (no open alert, unknown routing key) still answer 202. */
  outcome: 'created' | 'appended' | 'acknowledged' | 'resolved' | 'dropped' | 'invalid' | 'rate_limited' | 'fault';
  incidentId?: string;
  userAgent?: string;
}
