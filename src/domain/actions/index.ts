import { pause, resume } from './pause.js';
import { restart } from './restart.js';
import { rollback } from './rollback.js';
import { scale } from './scale.js';
import { setImage } from './set-image.js';
import { setMemoryLimit } from './set-memory-limit.js';
import { setProbe } from './set-probe.js';
import type { ActionInput, ActionKind, ActionModule, ActionProgress, ActionRequest, PlanOutcome, RequestOf } from './types.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';

export type { ActionInput, ActionKind, ActionPlan, ActionProgress, ActionRefusal, ActionRequest, JsonPatchOp, PlanOutcome, ProbeKind, RequestOf } from './types.js';

/** Every action the bot can carry out, by kind: the one place each is defined. */
export const ACTIONS: { [K in ActionKind]: ActionModule<K> } = {
  rollback,
  restart,
  pause,
  resume,
  'set-image': setImage,
  'set-memory-limit': setMemoryLimit,
  scale,
  'set-probe': setProbe,
};

export const ACTION_KINDS = Object.keys(ACTIONS) as ActionKind[];

function moduleOf<K extends ActionKind>(kind: K): ActionModule<K> {
  return ACTIONS[kind];
}

export function planAction(input: ActionInput, request: ActionRequest): PlanOutcome {
  return moduleOf(request.kind).plan(input, request as RequestOf<typeof request.kind>);
}

/** The kubectl command a request amounts to on a deployment, for humans. */
export function kubectlFor(request: ActionRequest, ref: { namespace: string; name: string }): string {
  return moduleOf(request.kind).kubectl(request as RequestOf<typeof request.kind>, ref);
}

export function actionProgress(request: ActionRequest, after: Deployment): ActionProgress {
  return ACTIONS[request.kind].progress(after);
}

export const actionTitle = (kind: ActionKind): string => ACTIONS[kind].title;
