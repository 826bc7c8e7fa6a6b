import { boundPlan, refName, refuse, rolloutProgress } from './plan.js';
import { kubectlTarget, type ActionModule } from './types.js';

/**
 * `kubectl scale deployment/NAME --replicas=N`: spec.replicas, which kubectl
 * writes through the scale subresource; the Deployment ends up the same.
 */
export const scale: ActionModule<'scale'> = {
  kind: 'scale',
  title: 'Scale',
  kubectl: (r, ref) => `kubectl scale ${kubectlTarget(ref)} --replicas=${r.replicas}`,
  plan(input, request) {
    const d = input.deployment;
    const { replicas } = request;
    if (!Number.isInteger(replicas) || replicas < 0) return refuse('refused', `--replicas must be a whole number from 0, not ${replicas}`);
    // The API server defaults spec.replicas to 1, so an absent field means 1.
    const current = d.spec?.replicas ?? 1;
    if (current === replicas) return refuse('nothing-to-do', `${refName(d)} already has ${replicas} desired replicas`);
    return boundPlan(input, request, scale.kubectl(request, { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' }), {
      summary: `Scale ${refName(d)} from ${current} to ${replicas} replicas.`,
      patch: [{ op: 'add', path: '/spec/replicas', value: replicas }],
      warnings: replicas === 0 ? [`Scaling to 0 stops every pod of ${refName(d)}: it serves nothing until scaled up again.`] : [],
    });
  },
  // Done when as many replicas are updated and available as asked for, as `kubectl rollout status` tells.
  progress: rolloutProgress,
};
