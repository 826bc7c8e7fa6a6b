import type { ActionKind } from '../domain/actions/index.js';
import type { ApprovalStatus } from '../domain/approval.js';
import type { RevisionInfo, RolloutStatus } from '../domain/rollout.js';
import type { DeploymentTarget } from '../ports.js';

/**
 * What the services hand to renderers (Slack blocks, CLI text): plain data,
 * already in the words and units kubectl would print.
 */
export interface DeploymentRefView {
  /** The policy's cluster name ("default" without a policy). */
  cluster: string;
  namespace: string;
  name: string;
}

/** One line of `kubectl get pods`. */
export interface PodRow {
  name: string;
  ready: string;
  status: string;
  restarts: string;
  age: string;
  node: string;
  /** The deployment revision the pod belongs to, when known. */
  revision: number | null;
}

/** A recent Warning event about the deployment, its ReplicaSets or pods. */
export interface WarningEvent {
  object: string;
  reason: string;
  message: string;
  count: number;
  /** Age of the last occurrence, kubectl style ("45s", "3m"). */
  lastSeen: string;
}

export interface StatusView extends DeploymentRefView {
  revision: number;
  images: string[];
  paused: boolean;
  replicas: { desired: number; updated: number; ready: number; available: number; unavailable: number };
  rollout: RolloutStatus;
  /** Every pod of the deployment, newest revision first, then by name. */
  pods: PodRow[];
  /** Newest first. */
  warnings: WarningEvent[];
  collectedAt: string;
}

export interface HistoryView extends DeploymentRefView {
  revisions: RevisionInfo[];
}

/** Which log to read: a container of the deployment's most relevant pod, or of `pod`. */
export interface LogsRequest extends DeploymentTarget {
  pod?: string;
  container?: string;
  previous: boolean;
  tailLines: number;
}

export interface LogsView {
  cluster: string;
  namespace: string;
  /** The deployment the pod belongs to. */
  name: string;
  pod: string;
  container: string;
  previous: boolean;
  /** Redacted, oldest first. */
  lines: string[];
  truncated: boolean;
  /** The pod's containers, for "choose another" hints. */
  containers: string[];
}

/** What one deployment of a proposal will go through. */
export interface ChangeView {
  namespace: string;
  name: string;
  /** One sentence: what will change. */
  summary: string;
  fromRevision?: number;
  toRevision?: number;
  /** The images after the change, when it changes them. */
  images?: string[];
  /** The kubectl command it amounts to. */
  command: string;
}

/** An action someone asked for, its approvals and where it stands; read from the store. */
export interface ProposalView extends DeploymentRefView {
  id: string;
  action: ActionKind;
  /** Slack user ID of the requester. */
  requestedBy: string;
  createdAt: string;
  expiresAt: string;
  status: ApprovalStatus;
  /** Approvals needed, from distinct approvers. */
  required: number;
  approvers: string[];
  rejectedBy?: string;
  /** Protected namespace: the requester may not approve. */
  fourEyes: boolean;
  /** Each deployment, in the order given (several for a multi-service rollback). */
  changes: ChangeView[];
  /** Things an approver must know (a migration already ran). */
  warnings: string[];
}

/** One subcommand, as help lists it. */
export interface CommandHelp {
  name: string;
  usage: string;
  description: string;
  /** 'read' commands need the readers role, 'act' the operators role. */
  access: 'read' | 'act';
}
