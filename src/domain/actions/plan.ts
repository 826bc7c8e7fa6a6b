import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { rolloutStatus } from '../rollout.js';
import { ANNOTATIONS_TO_SKIP, imagesOf, revisionOf } from '../workload.js';
import type { ActionInput, ActionProgress, ActionRefusal, ActionRequest, JsonPatchOp, PlanOutcome } from './types.js';

/**
 * A plan bound to the Deployment it was made from: the patch starts with a
 * `test` of the resourceVersion, so a Deployment changed since (a new rollout
 * from CI, someone's kubectl) makes the patch fail instead of being overwritten.
 * kubectl has no such check; an approved action must.
 */
export function boundPlan(
  input: ActionInput,
  request: ActionRequest,
  kubectl: string,
  change: { summary: string; patch: JsonPatchOp[]; toRevision?: number; imagesAfter?: string[]; warnings?: string[] },
): PlanOutcome {
  const d = input.deployment;
  const resourceVersion = d.metadata?.resourceVersion ?? '';
  const imagesBefore = imagesOf(d.spec?.template);
  const precondition: JsonPatchOp[] = resourceVersion ? [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }] : [];
  return {
    ok: true,
    plan: {
      request,
      namespace: d.metadata?.namespace ?? '',
      name: d.metadata?.name ?? '',
      summary: change.summary,
      fromRevision: revisionOf(d),
      ...(change.toRevision !== undefined ? { toRevision: change.toRevision } : {}),
      imagesBefore,
      imagesAfter: change.imagesAfter ?? imagesBefore,
      resourceVersion,
      patch: [...precondition, ...change.patch],
      kubectl,
      ...(change.warnings?.length ? { warnings: change.warnings } : {}),
    },
  };
}

export const refuse = (kind: ActionRefusal['kind'], message: string): PlanOutcome => ({ ok: false, refusal: { kind, message } });

/** For actions that roll out a new template: done when `kubectl rollout status` would say so. */
export function rolloutProgress(after: Deployment): ActionProgress {
  const { state } = rolloutStatus(after);
  return state === 'complete' ? 'succeeded' : state === 'failed' ? 'failed' : 'progressing';
}

/** "namespace/name", as summaries name a deployment. */
export const refName = (d: Deployment): string => `${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`;

/** A JSON pointer segment (RFC 6901): annotation keys carry "/" and "~". */
export const pointerSegment = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The index of a container of the pod template, or a refusal naming the ones there are. */
export function findContainer(d: Deployment, container: string): { index: number } | { refusal: PlanOutcome } {
  const names = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name);
  const index = names.indexOf(container);
  if (index >= 0) return { index };
  return { refusal: refuse('refused', `container "${container}" is not in ${refName(d)} (containers: ${names.join(', ')})`) };
}

/** The value at a JSON pointer (RFC 6901), or undefined. */
function valueAt(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** `want` is contained in `got`: the API server adds defaults to what we wrote, never takes away. */
function contains(got: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object') return got === want;
  if (got === null || typeof got !== 'object') return false;
  if (Array.isArray(want)) return Array.isArray(got) && got.length === want.length && want.every((w, i) => contains(got[i], w));
  return Object.entries(want).every(([k, v]) => contains((got as Record<string, unknown>)[k], v));
}

/**
 * Whether the Deployment shows the plan's patch applied: after a timeout or
 * a 5xx the patch may have landed or not, and this tells which without
 * sending it again.
 */
export function patchLanded(after: Deployment, patch: JsonPatchOp[]): boolean {
  return patch.filter((op) => op.op !== 'test').every((op) => (op.op === 'remove' ? valueAt(after, op.path) === undefined : contains(valueAt(after, op.path), written(op))));
}

/**
 * What an op wrote that must still be there. A rollback's annotations carry
 * the skip-listed ones over from the deployment as it was (its revision
 * among them); the controller rewrites those as soon as the patch lands.
 */
function written(op: JsonPatchOp): unknown {
  if (op.path !== '/metadata/annotations' || !op.value || typeof op.value !== 'object') return op.value;
  return Object.fromEntries(Object.entries(op.value).filter(([k]) => !ANNOTATIONS_TO_SKIP.has(k)));
}
