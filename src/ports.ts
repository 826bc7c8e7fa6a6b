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
import type { IncidentRecord, ProposalRecord } from './ports/store.js';

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
  /** GET /version: the API server answers (/readyz). */
  serverVersion(): Promise<string>;
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

export type WatchState = 'starting' | 'watching' | 're-listing';

/** Deployments, their ReplicaSets and pods of some namespaces, watched: what the incident watcher reads. */
export interface WorkloadWatch {
  /** Lists and starts watching; `changed` is called with the deployment each change concerns. */
  start(changed: (ref: DeploymentRef) => void): Promise<void>;
  stop(): Promise<void>;
  /** Starting: the first lists are under way; re-listing: a watch failed or fell silent and is being restarted. */
  state(): WatchState;
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

/** Someone on call for a paged incident, at one level of its escalation policy. */
export interface OnCallEntry {
  level: number;
  name: string;
  policy: string;
  schedule?: string;
}

/** The pager's directory (PagerDuty REST): who is on call, and which dedup key a pager incident carries. */
export interface OnCallDirectory {
  /** Who is on call for the pager incident behind this dedup key, lowest level first; empty when nothing was paged. */
  forIncident(dedupKey: string): Promise<OnCallEntry[]>;
  /** The dedup key of a pager incident known only by its own ID (a webhook about a note names no key). */
  incidentKeyOf(pagerIncidentId: string): Promise<string | undefined>;
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

// The write path's state lives in its own file; one Store port, re-exported here.
export type * from './ports/store.js';
export type * from './ports/leader-lease.js';
