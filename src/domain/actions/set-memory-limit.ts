import { boundPlan, findContainer, refName, rolloutProgress } from './plan.js';
import { kubectlTarget, type ActionModule, type JsonPatchOp } from './types.js';

/** `kubectl set resources deployment/NAME -c CONTAINER --limits=memory=Q`. */
export const setMemoryLimit: ActionModule<'set-memory-limit'> = {
  kind: 'set-memory-limit',
  title: 'Memory limit change',
  kubectl: (r, ref) => `kubectl set resources ${kubectlTarget(ref)} -c ${r.container} --limits=memory=${r.memory}`,
  plan(input, request) {
    const d = input.deployment;
    const found = findContainer(d, request.container);
    if ('refusal' in found) return found.refusal;
    const base = `/spec/template/spec/containers/${found.index}/resources`;
    const resources = d.spec?.template?.spec?.containers?.[found.index]?.resources;
    // JSON patch `add` creates one level only: add the missing parents whole.
    const op: JsonPatchOp = !resources
      ? { op: 'add', path: base, value: { limits: { memory: request.memory } } }
      : !resources.limits
        ? { op: 'add', path: `${base}/limits`, value: { memory: request.memory } }
        : { op: 'add', path: `${base}/limits/memory`, value: request.memory };
    return boundPlan(input, request, setMemoryLimit.kubectl(request, { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' }), {
      summary: `Set the memory limit of container ${request.container} of ${refName(d)} to ${request.memory}.`,
      patch: [op],
    });
  },
  progress: rolloutProgress,
};
