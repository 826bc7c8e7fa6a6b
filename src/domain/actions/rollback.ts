import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { jsonEqual } from '../json.js';
import { ANNOTATIONS_TO_SKIP, imagesOf, revisionOf, templateWithoutHash } from '../workload.js';
import { boundPlan, refName, refuse, rolloutProgress } from './plan.js';
import { kubectlTarget, type ActionModule } from './types.js';

/**
 * `kubectl rollout undo [--to-revision N]` (kubectl DeploymentRollbacker):
 * the target is the second-newest revision or the one asked for; the patch
 * puts its template back, with its annotations but the controller's own.
 */
export const rollback: ActionModule<'rollback'> = {
  kind: 'rollback',
  title: 'Rollback',
  kubectl: (r, ref) => `kubectl rollout undo ${kubectlTarget(ref)}${r.toRevision ? ` --to-revision=${r.toRevision}` : ''}`,
  plan(input, request) {
    const d = input.deployment;
    if (d.spec?.paused) return refuse('refused', "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
    const toRevision = request.toRevision ?? 0;
    let target: ReplicaSet | undefined;
    if (toRevision > 0) {
      target = input.replicaSets.find((rs) => revisionOf(rs) === toRevision);
      if (!target) return refuse('missing', `unable to find specified revision ${toRevision} in history`);
    } else {
      target = input.replicaSets.filter((rs) => revisionOf(rs) > 0).sort((a, b) => revisionOf(b) - revisionOf(a))[1];
      if (!target) return refuse('missing', `no rollout history found for deployment "${d.metadata?.name ?? ''}"`);
    }
    const revision = revisionOf(target);
    const template = templateWithoutHash(target.spec?.template ?? {});
    if (jsonEqual(template, templateWithoutHash(d.spec?.template ?? {}))) {
      return refuse('nothing-to-do', `skipped rollback (current template already matches revision ${revision})`);
    }
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
    const images = imagesOf(template);
    return boundPlan(input, request, rollback.kubectl({ kind: 'rollback', toRevision: revision }, { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' }), {
      summary: `Roll ${refName(d)} back from revision ${revisionOf(d)} to revision ${revision} (${images.join(', ')}).`,
      toRevision: revision,
      imagesAfter: images,
      patch: [
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ],
    });
  },
  progress: rolloutProgress,
};
