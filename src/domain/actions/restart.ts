import { boundPlan, pointerSegment, refName, refuse, rolloutProgress } from './plan.js';
import { kubectlTarget, type ActionModule } from './types.js';

export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** RFC 3339 to the second, as kubectl formats time.Now() for restartedAt. */
const rfc3339 = (t: Date) => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `kubectl rollout restart`: a new restartedAt annotation on the pod template makes a new revision. */
export const restart: ActionModule<'restart'> = {
  kind: 'restart',
  title: 'Restart',
  kubectl: (_r, ref) => `kubectl rollout restart ${kubectlTarget(ref)}`,
  plan(input, request) {
    const d = input.deployment;
    if (d.spec?.paused) return refuse('refused', `deployments.apps "${d.metadata?.name ?? ''}" can't restart paused deployment (run rollout resume first)`);
    const at = rfc3339(input.now);
    const metadata = d.spec?.template?.metadata;
    const patch = metadata?.annotations
      ? [{ op: 'add' as const, path: `/spec/template/metadata/annotations/${pointerSegment(RESTARTED_AT_ANNOTATION)}`, value: at }]
      : metadata
        ? [{ op: 'add' as const, path: '/spec/template/metadata/annotations', value: { [RESTARTED_AT_ANNOTATION]: at } }]
        : [{ op: 'add' as const, path: '/spec/template/metadata', value: { annotations: { [RESTARTED_AT_ANNOTATION]: at } } }];
    return boundPlan(input, request, restart.kubectl(request, { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' }), {
      summary: `Restart every pod of ${refName(d)} (revision ${d.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}).`,
      patch,
    });
  },
  progress: rolloutProgress,
};
