import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';

/**
 * What someone may ask the bot to do to a Deployment, with its arguments.
 * A diagnosis fix, a slash command and a button all become one of these.
 */
export type ActionRequest =
  | { kind: 'rollback'; toRevision?: number }
  | { kind: 'restart' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'set-image'; container: string; image: string }
  | { kind: 'set-memory-limit'; container: string; memory: string }
  | { kind: 'scale'; replicas: number }
  | { kind: 'set-probe'; container: string; probe: ProbeKind; port?: number; initialDelaySeconds?: number };

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export type ActionKind = ActionRequest['kind'];

export type RequestOf<K extends ActionKind> = Extract<ActionRequest, { kind: K }>;

/** What planning reads: the Deployment and the ReplicaSets it controls, and the time (restartedAt). */
export interface ActionInput {
  deployment: Deployment;
  replicaSets: ReplicaSet[];
  now: Date;
}

export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/** An action worked out against one Deployment as it is now; nothing is changed yet. */
export interface ActionPlan {
  request: ActionRequest;
  namespace: string;
  name: string;
  /** One sentence: what will change. */
  summary: string;
  fromRevision: number;
  /** For a rollback: the revision whose template comes back. */
  toRevision?: number;
  imagesBefore: string[];
  imagesAfter: string[];
  /** The resourceVersion the plan was made from: the patch fails if the Deployment changed since. */
  resourceVersion: string;
  /** The JSON patch, its precondition first. */
  patch: JsonPatchOp[];
  /** The kubectl command that does the same, for humans. */
  kubectl: string;
  /** What an approver should know before saying yes (scaling to zero, …). */
  warnings?: string[];
}

/** Why an action cannot be planned; `missing` ones are NOT_FOUND to a caller, `refused` ones USAGE. */
export interface ActionRefusal {
  kind: 'missing' | 'refused' | 'nothing-to-do';
  message: string;
}

export type PlanOutcome = { ok: true; plan: ActionPlan } | { ok: false; refusal: ActionRefusal };

/** What the Deployment says after the patch: the action has taken effect, is still rolling out, or failed. */
export type ActionProgress = 'succeeded' | 'progressing' | 'failed';

/** The kubectl target of a deployment command: `deployment/NAME -n NS`. */
export const kubectlTarget = (d: { namespace: string; name: string }): string => `deployment/${d.name} -n ${d.namespace}`;

/**
 * One action, in one place: the kubectl command it amounts to, how it is
 * planned from the Deployment (the patch and what it changes), and how to
 * tell from the Deployment afterwards that it took effect.
 */
export interface ActionModule<K extends ActionKind> {
  kind: K;
  /** How a card names it: "Rollback", "Image change". */
  title: string;
  kubectl(request: RequestOf<K>, ref: { namespace: string; name: string }): string;
  plan(input: ActionInput, request: RequestOf<K>): PlanOutcome;
  progress(after: Deployment): ActionProgress;
}
