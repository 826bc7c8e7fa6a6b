import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RegistryCredential } from './domain/docker-config.js';
import type { DeploymentSnapshot, RegistryCheck } from './domain/snapshot.js';
import type { RolloutObjects } from './domain/failure-signals.js';
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
