import { boundPlan, findContainer, refName, rolloutProgress } from './plan.js';
import { kubectlTarget, type ActionModule } from './types.js';

/** `kubectl set image deployment/NAME CONTAINER=IMAGE`. */
export const setImage: ActionModule<'set-image'> = {
  kind: 'set-image',
  title: 'Image change',
  kubectl: (r, ref) => `kubectl set image ${kubectlTarget(ref)} ${r.container}=${r.image}`,
  plan(input, request) {
    const d = input.deployment;
    const found = findContainer(d, request.container);
    if ('refusal' in found) return found.refusal;
    const imagesAfter = (d.spec?.template?.spec?.containers ?? []).map((c, i) => (i === found.index ? request.image : (c.image ?? '')));
    return boundPlan(input, request, setImage.kubectl(request, { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' }), {
      summary: `Set the image of container ${request.container} of ${refName(d)} to ${request.image}.`,
      imagesAfter,
      patch: [{ op: 'replace', path: `/spec/template/spec/containers/${found.index}/image`, value: request.image }],
    });
  },
  progress: rolloutProgress,
};
