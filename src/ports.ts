import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RegistryCredential } from './domain/docker-config.js';
import type { DeploymentSnapshot, RegistryCheck } from './domain/snapshot.js';
import type { DiagnosisReport } from './domain/diagnosis.js';
import type { RolloutObjects } from './domain/failure-signals.js';
import type { IncidentNotice } from './domain/incident.js';
import type { ThreadNote } from './domain/thread-note.js';
import type { PodMetrics } from './domain/verification.js';

/**
 * The ports: what services need from the world, as interfaces. Adapters
 * (src/adapters, src/slack) implement them; the composition roots (main.ts,
 * cli/wiring.ts) plug them in. Services import nothing else with side effects.
 */

/** Time, injected everywhere so tests and the simulator control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Answers whether an image reference exists in its registry, with the caller's pull credentials. */
export interface ImageChecker {
  check(image: string, credentials: RegistryCredential[]): Promise<RegistryCheck>;
}

export interface DeploymentRef {
  namespace: string;
  name: string;
}

/** A deployment in one of the policy's clusters ("default" without a policy). */
export interface DeploymentTarget extends DeploymentRef {
  cluster: string;
}

/** How much a snapshot reads: everything a diagnosis needs, or the workload alone (status). */
export type SnapshotScope = 'diagnosis' | 'workload';

export interface CollectRequest {
  scope: SnapshotScope;
  /** Called once the Deployment is read, before the slower reads: where a caller shows progress. */
  found?: (deployment: Deployment) => Promise<void>;
}

/** Everything a diagnosis reads, collected in one go (adapters/kube/collector.ts). */
export interface SnapshotSource {
  collect(target: DeploymentTarget, request: CollectRequest): Promise<DeploymentSnapshot>;
}

export interface PodLogRequest {
  container: string;
  previous: boolean;
  tailLines: number;
  limitBytes: number;
}

/** The reads and writes of one cluster that services make beyond a snapshot. */
export interface Cluster {
  getDeployment(namespace: string, name: string): Promise<Deployment>;
  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSet[]>;
  listPods(namespace: string, labelSelector: string): Promise<Pod[]>;
  getPod(namespace: string, name: string): Promise<Pod>;
  getReplicaSet(namespace: string, name: string): Promise<ReplicaSet>;
  readPodLog(namespace: string, pod: string, request: PodLogRequest): Promise<string>;
  /** A JSON patch (RFC 6902); a failed `test` op answers CONFLICT. */
  patchDeployment(namespace: string, name: string, ops: unknown[]): Promise<Deployment>;
  /** metrics.k8s.io, as `kubectl top pods`; NOT_FOUND when no metrics server is installed. */
  listPodMetrics(namespace: string, labelSelector: string): Promise<PodMetrics[]>;
  listHorizontalPodAutoscalers(namespace: string): Promise<HorizontalPodAutoscaler[]>;
}

/** The policy's clusters by name; an unknown name is a NOT_FOUND MedicError. */
export interface Clusters {
  get(name: string): Cluster;
}

/** A message in a chat: fallback text and the rich blocks (Slack Block Kit). */
export interface ChatMessage {
  text: string;
  blocks: unknown[];
}

/** One conversation the bot answers in: an in-channel message updated in place, or a note to the requester only. */
export interface Chat<M extends ChatMessage = ChatMessage> {
  ephemeral(message: M): Promise<void>;
  /** Posts a message visible to the channel, answering its ts; later `update`s replace it. */
  post(message: M): Promise<string | undefined>;
  update(message: M): Promise<string | undefined>;
}

/** A proposal's thread in the chat: where the write path says what happened. */
export interface ProposalThread {
  /** Re-renders the proposal's card in place from its record (status, votes). */
  refreshCard(proposal: ProposalRecord): Promise<void>;
  /** Posts a note in the proposal's thread, or with `ts` updates that note; the note's ts. */
  note(proposal: ProposalRecord, note: ThreadNote, ts?: string): Promise<string | undefined>;
}

/** Deployments, their ReplicaSets and pods of some namespaces, watched: what the incident watcher reads. */
export interface WorkloadWatch {
  /** Lists and starts watching; `changed` is called with the deployment each change concerns. */
  start(changed: (ref: DeploymentRef) => void): Promise<void>;
  stop(): Promise<void>;
  /** Every watch is live (none failed and waiting to be restarted). */
  watching(): boolean;
  deployments(): DeploymentRef[];
  /** The deployment with its ReplicaSets and pods, as last seen. */
  objects(ref: DeploymentRef): RolloutObjects | undefined;
}

/** One PagerDuty Events API v2 event: a trigger carries the payload, acknowledge and resolve the dedup_key alone. */
export interface PagerEvent {
  routingKey: string;
  action: 'trigger' | 'acknowledge' | 'resolve';
  /** The incident ID: every event of one incident lands on one PagerDuty alert. */
  dedupKey: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    component?: string;
    group?: string;
    class?: string;
    custom_details?: Record<string, unknown>;
    timestamp?: string;
  };
  links?: Array<{ href: string; text?: string }>;
}

/** What became of an event: accepted (202), refused for good (400), or worth trying again (429, 5xx, no answer). */
export type PagerDelivery = { outcome: 'delivered'; status: number } | { outcome: 'rejected'; status: number; detail: string } | { outcome: 'retry'; status?: number; detail: string };

export interface Pager {
  send(event: PagerEvent): Promise<PagerDelivery>;
}

/** What goes in an incident's thread, as data: the chat adapter renders it when it is delivered. */
export type IncidentThreadItem =
  | { kind: 'notice'; notice: IncidentNotice }
  /** The diagnosis of the failing rollout, when the incident opens. */
  | { kind: 'diagnosis'; report: DiagnosisReport }
  /** A proposal card (the rollback the bot proposes). */
  | { kind: 'proposal'; proposalId: string };

/** An incident's parent message (its live state, updated in place) and its thread. */
export interface IncidentChat {
  /** Posts the parent message in the incident's channel: its ts. */
  postParent(incident: IncidentRecord): Promise<string>;
  updateParent(incident: IncidentRecord): Promise<void>;
  postInThread(incident: IncidentRecord, item: IncidentThreadItem): Promise<void>;
}

/** Members of a chat user group (Slack: usergroups.users.list), for the policy's group principals. */
export interface UserGroups {
  members(groupId: string): Promise<string[]>;
}

// ─── Store ───────────────────────────────────────────────────────────────────────────────
// The write path's state (DESIGN.md): SQLite now, PostgreSQL later, one contract suite for both
// (test/store/contract.ts). Exactly-once comes from the database: every claim below is a
// conditional update or a unique constraint, so it holds across processes and replicas.

import type { ApprovalFacts, ApprovalLifecycle, ApprovalStatus, Vote } from './domain/approval.js';
import type { AuditNote } from './domain/audit.js';

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

export interface Store {
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

import type { IncidentFacts, IncidentLinkKind, IncidentPhase, TimelineNote, TimerKind } from './domain/incident.js';

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
