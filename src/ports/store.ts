import type { DeploymentRef, DeploymentTarget } from '../ports.js';

// ─── Store ───────────────────────────────────────────────────────────────────────────────
// The write path's state (DESIGN.md): SQLite now, PostgreSQL later, one contract suite for both
// (test/store/contract.ts). Exactly-once comes from the database: every claim below is a
// conditional update or a unique constraint, so it holds across processes and replicas.

import type { ApprovalFacts, ApprovalLifecycle, ApprovalStatus, Vote } from '../domain/approval.js';
import type { AuditNote } from '../domain/audit.js';

/** A lease on a claimed piece of work: held by `holder` until now + leaseMs, then reclaimable. */
export interface Lease {
  holder: string;
  now: Date;
  leaseMs: number;
}

export type InboxKind = 'command' | 'action';

/** A Slack payload acknowledged with a 200, keyed by a delivery id unique per delivery (not per retry). */
export interface InboxDelivery {
  id: string;
  kind: InboxKind;
  payload: unknown;
  receivedAt: Date;
}

export interface InboxEntry extends InboxDelivery {
  attempts: number;
  claimedBy?: string;
  leaseUntil?: Date;
  handledAt?: Date;
}

/** What a proposal was bound to when made; if any of it changed, the approval is void. */
export interface DeploymentBinding extends DeploymentRef {
  uid: string;
  generation: number;
  resourceVersion: string;
  /** For a rollback: the revision it returns to and that revision's pod-template-hash. */
  targetRevision?: number;
  targetTemplateHash?: string;
}

export interface NewProposal extends Omit<ApprovalFacts, 'votes' | 'lifecycle'> {
  id: string;
  channel: string;
  /** The thread it was proposed in, if any (an incident or a diagnosis). */
  threadTs?: string;
  cluster: string;
  /** One or several (a multi-service rollback), in the order given. */
  deployments: DeploymentBinding[];
  action: string;
  params: Record<string, unknown>;
}

export interface ProposalRecord extends NewProposal, ApprovalFacts {
  /** Bumped by every accepted transition; the compare-and-set token. */
  version: number;
  /** The status as of the last transition, for queries. Expiry is time-derived: use status(record, now). */
  recordedStatus: ApprovalStatus;
  /** The proposal card, once posted. */
  messageTs?: string;
}

export interface NewAuditEntry extends AuditNote {
  cluster: string;
  namespace: string;
  /** Unset: the entry concerns every deployment of `proposalId`. */
  deployment?: string;
  proposalId?: string;
}

export interface AuditEntry extends NewAuditEntry {
  seq: number;
}

/** One accepted transition of the approval machine, saved with its audit entries in one transaction. */
export interface ProposalChange {
  recordedStatus: ApprovalStatus;
  lifecycle: ApprovalLifecycle;
  /** The vote the transition adds; one per user and proposal. */
  vote?: Vote;
  audit: NewAuditEntry[];
}

export type ProposalChangeResult = { won: true; version: number } | { won: false; reason: 'stale' | 'duplicate-vote' };

export type DeploymentOutcome = 'patched' | 'refused' | 'failed';
export type VerificationState = 'running' | 'verified' | 'failed';

export interface DeploymentExecution extends DeploymentRef {
  result?: { outcome: DeploymentOutcome; detail: Record<string, unknown>; at: Date };
  /** Enough to resume following the rollout after a restart (e.g. when settling ends). */
  verification?: { state: VerificationState; detail: Record<string, unknown>; at: Date };
}

export interface ExecutionRecord {
  proposalId: string;
  holder: string;
  claimedAt: Date;
  leaseUntil: Date;
  /** The deployments with a result or a verification recorded so far. */
  deployments: DeploymentExecution[];
}

/** Row counts for /metrics. */
export interface StoreCounts {
  incidents: Array<{ phase: string; count: number }>;
  proposals: Array<{ action: string; status: string; count: number }>;
  executions: Array<{ action: string; outcome: string; count: number }>;
  outbox: Array<{ destination: string; status: string; count: number }>;
  outboxAttempts: Array<{ destination: string; count: number }>;
}

export interface Store {
  /** What /metrics shows of the store, counted now. */
  counts(): Promise<StoreCounts>;
  /** Records that `holder` wrote at `at`: a write that fails says the store cannot take writes (/readyz). */
  heartbeat(holder: string, at: Date): Promise<void>;

  /** Persists an acknowledged payload; false when this delivery id was recorded before. */
  recordDelivery(delivery: InboxDelivery): Promise<boolean>;
  /** Claims an unhandled entry whose lease is free or ran out; undefined when another holds it or it is handled. */
  claimDelivery(id: string, lease: Lease): Promise<InboxEntry | undefined>;
  /** Claims up to `limit` claimable entries, oldest first (after a restart). */
  claimUnhandled(lease: Lease, limit: number): Promise<InboxEntry[]>;
  /** False when it was already marked handled. */
  markHandled(id: string, at: Date): Promise<boolean>;
  /** Extends the lease of every unhandled entry `lease.holder` holds (its work is queued or running); how many. */
  renewDeliveries(lease: Lease): Promise<number>;

  /** Creates the proposal at version 1 with its audit entries; a duplicate id is a CONFLICT error. */
  createProposal(proposal: NewProposal, audit: NewAuditEntry[]): Promise<ProposalRecord>;
  /** Records the card's message ts once. */
  attachProposalMessage(id: string, messageTs: string): Promise<boolean>;
  getProposal(id: string): Promise<ProposalRecord | undefined>;
  /** Newest first. */
  listProposalsByDeployment(ref: DeploymentTarget): Promise<ProposalRecord[]>;
  /** By recorded status, oldest first: pending ones to expire, approved ones to execute after a restart. */
  listProposalsInStatus(statuses: ApprovalStatus[]): Promise<ProposalRecord[]>;
  /** Applies the change if the proposal is still at `fromVersion`. */
  transitionProposal(id: string, fromVersion: number, change: ProposalChange): Promise<ProposalChangeResult>;

  /** The one claim of an approved proposal's execution; false when claimed before or not (recorded as) approved. */
  claimExecution(proposalId: string, lease: Lease): Promise<boolean>;
  /** Extends the holder's lease, or takes over an unfinished execution whose lease ran out. */
  leaseExecution(proposalId: string, lease: Lease): Promise<boolean>;
  /** Writes by the lease holder only; false when `holder` no longer holds the execution. */
  recordDeploymentResult(proposalId: string, holder: string, ref: DeploymentRef, result: NonNullable<DeploymentExecution['result']>): Promise<boolean>;
  saveVerification(proposalId: string, holder: string, ref: DeploymentRef, verification: NonNullable<DeploymentExecution['verification']>): Promise<boolean>;
  getExecution(proposalId: string): Promise<ExecutionRecord | undefined>;
  /** Executions whose proposal has not finished (approved or executing): to resume after a restart. */
  listUnfinishedExecutions(): Promise<ExecutionRecord[]>;

  appendAudit(entries: NewAuditEntry[]): Promise<void>;
  /** Entries naming the deployment or a proposal that targets it, in time order. */
  listAudit(ref: DeploymentTarget): Promise<AuditEntry[]>;

  close(): Promise<void>;
}

// ─── Store: incidents ────────────────────────────────────────────────────────────────────
// Incidents, their timeline, alert and webhook dedup, timers and the outbox (issue 10). As above,
// every claim is a conditional update and every dedup a unique constraint, so several replicas can
// share the store; an accepted transition writes its timeline, outbox messages and timers in the
// same transaction as the new state.

import type { IncidentFacts, IncidentLinkKind, IncidentPhase, TimelineNote, TimerKind } from '../domain/incident.js';

export interface NewIncident extends IncidentFacts {
  id: string;
  /** incidentFingerprint(subject): one live incident per fingerprint. */
  fingerprint: string;
  /** Where its thread opens (the policy's incidents.channel). */
  channel?: string;
}

export interface IncidentRecord extends NewIncident {
  /** Bumped by every accepted transition; the compare-and-set token. */
  version: number;
  /** The phase as of the last transition, for queries. */
  phase: IncidentPhase;
  /** The parent message, once posted. */
  parentTs?: string;
}

export type OutboxDestination = 'pagerduty' | 'slack';

/** A message to deliver for an incident; `kind` names it in logs (e.g. "trigger", "post-thread"). */
export interface NewOutboxMessage {
  destination: OutboxDestination;
  kind: string;
  payload: unknown;
  createdAt: Date;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxMessage extends NewOutboxMessage {
  /** Increasing in the order written: the delivery order within an incident and destination. */
  id: number;
  incidentId: string;
  status: OutboxStatus;
  /** Claims so far (a claim whose lease ran out counts: the delivery may have happened). */
  attempts: number;
  /** Not claimable before this time (back-off). */
  nextAttemptAt: Date;
  lastError?: string;
  claimedBy?: string;
  leaseUntil?: Date;
  /** When it was delivered or given up on. */
  finishedAt?: Date;
}

export interface NewTimer {
  kind: TimerKind;
  dueAt: Date;
}

export interface TimerRecord extends NewTimer {
  id: number;
  incidentId: string;
  attempts: number;
  claimedBy?: string;
  leaseUntil?: Date;
  firedAt?: Date;
}

/** What an accepted transition writes besides the facts, in the same transaction. */
export interface IncidentWrites {
  timeline: TimelineNote[];
  outbox: NewOutboxMessage[];
  /** A timer already scheduled (same incident, kind and due time) is not scheduled twice. */
  timers: NewTimer[];
}

export interface IncidentOpening extends IncidentWrites {
  incident: NewIncident;
  /** Written only when this opening creates the incident. */
  links: { to: string; kind: IncidentLinkKind }[];
}

export interface IncidentLink {
  from: string;
  to: string;
  kind: IncidentLinkKind;
  at: Date;
}

export interface TimelineEntry extends TimelineNote {
  incidentId: string;
  seq: number;
}

/** A signed webhook delivery (PagerDuty webhooks v3: X-Webhook-Id), recorded once. */
export interface WebhookDelivery {
  source: 'pagerduty';
  id: string;
  receivedAt: Date;
}

export interface IncidentChange extends IncidentWrites {
  facts: IncidentFacts;
  phase: IncidentPhase;
  /** The due timer this change answers: marked fired with it, and only while `holder` still holds it. */
  firedTimer?: { id: number; holder: string; at: Date };
  /** The webhook delivery this change comes from: recorded with it, so a replay changes nothing. */
  delivery?: WebhookDelivery;
}

export type IncidentChangeResult = { won: true; version: number } | { won: false; reason: 'stale' | 'timer-lost' | 'duplicate-delivery' };

/**
 * One alert of an Alertmanager notification. A duplicate (an HA peer's copy, a retry, a repeat
 * notification) has the same group, alert fingerprint, status and startsAt; endsAt is left out on
 * purpose, as Alertmanager moves it forward on every notification of a firing alert.
 */
export interface AlertNotification {
  groupKey: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: Date;
  endsAt?: Date;
  /** The alert with its group's context (labels, annotations, externalURL…), as received. */
  payload: unknown;
  receivedAt: Date;
}

export interface AlertEntry extends AlertNotification {
  seq: number;
  attempts: number;
  claimedBy?: string;
  leaseUntil?: Date;
  handledAt?: Date;
}

export interface IncidentStore {
  /**
   * Creates the incident with its opening writes, or, when an incident with its fingerprint is live,
   * returns that one and writes nothing. A resolved incident stays live (reopenable) until its grace
   * period ends at `now` or it is closed.
   */
  openOrMergeIncident(opening: IncidentOpening, now: Date): Promise<{ created: boolean; incident: IncidentRecord }>;
  getIncident(id: string): Promise<IncidentRecord | undefined>;
  /** The live incident of a fingerprint (see openOrMergeIncident). */
  findLiveIncident(fingerprint: string, now: Date): Promise<IncidentRecord | undefined>;
  /** Not resolved, oldest first. */
  listOpenIncidents(): Promise<IncidentRecord[]>;
  /** Every incident of the deployment, newest first. */
  listIncidentsByDeployment(ref: DeploymentTarget): Promise<IncidentRecord[]>;
  /** Applies the change if the incident is still at `fromVersion`. */
  transitionIncident(id: string, fromVersion: number, change: IncidentChange): Promise<IncidentChangeResult>;
  /** Records the parent message's ts once. */
  attachIncidentMessage(id: string, parentTs: string): Promise<boolean>;
  /** Links from and to the incident. */
  listIncidentLinks(id: string): Promise<IncidentLink[]>;
  /** In time order. */
  listTimeline(incidentId: string): Promise<TimelineEntry[]>;

  /** Persists one notification's alerts in one transaction; per alert, false when it was recorded before. */
  recordAlerts(alerts: AlertNotification[]): Promise<boolean[]>;
  /** Claims unhandled alerts oldest first; one alert's later notifications wait until its earlier ones are handled. */
  claimAlerts(lease: Lease, limit: number): Promise<AlertEntry[]>;
  markAlertHandled(seq: number, at: Date): Promise<boolean>;

  /** For a delivery that changes no incident; false when it was recorded before. */
  recordWebhookDelivery(delivery: WebhookDelivery): Promise<boolean>;

  /** Claims due, unfired timers whose lease is free or ran out, earliest first. */
  claimDueTimers(lease: Lease, limit: number): Promise<TimerRecord[]>;
  /** For a timer whose event changed nothing; false when `holder` no longer holds it or it fired. */
  markTimerFired(id: number, holder: string, at: Date): Promise<boolean>;

  /**
   * Claims the next deliverable message of each incident and destination, oldest first: a message is
   * deliverable when it is due, not leased, and every earlier pending message of its incident and
   * destination is delivered or failed. Order is kept per destination, so a Slack outage never holds
   * back a page. With `destination`, only that destination's messages (a relay per destination).
   */
  claimOutbox(lease: Lease, limit: number, destination?: OutboxDestination): Promise<OutboxMessage[]>;
  /** The writes below are the lease holder's only; false when `holder` no longer holds the message. */
  markOutboxDelivered(id: number, holder: string, at: Date): Promise<boolean>;
  /** A retryable failure (429, 5xx, connection): released until `nextAttemptAt`; it keeps blocking later messages. */
  retryOutbox(id: number, holder: string, failure: { error: string; nextAttemptAt: Date }): Promise<boolean>;
  /** A permanent failure (e.g. 400): given up on, so the messages after it go on; the caller tells the thread. */
  failOutbox(id: number, holder: string, failure: { at: Date; error: string }): Promise<boolean>;
  /** In order. */
  listOutbox(incidentId: string): Promise<OutboxMessage[]>;
}

/** One Store port: this section's half merges into the interface above (declaration merging). */
export interface Store extends IncidentStore {}
