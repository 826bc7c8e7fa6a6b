import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { revisionOf } from '../workload.js';
import { boundPlan, refName, refuse } from './plan.js';
import { kubectlTarget, type ActionModule, type ActionProgress } from './types.js';

const ref = (d: Deployment) => ({ namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' });

/** Paused once the controller has seen the spec: from then on it starts no new ReplicaSet. */
const pausedObserved = (after: Deployment): ActionProgress =>
  after.spec?.paused && (after.status?.observedGeneration ?? 0) >= (after.metadata?.generation ?? 0) ? 'succeeded' : 'progressing';

/** `kubectl rollout pause`: spec.paused = true. */
export const pause: ActionModule<'pause'> = {
  kind: 'pause',
  title: 'Pause',
  kubectl: (_r, r) => `kubectl rollout pause ${kubectlTarget(r)}`,
  plan(input, request) {
    const d = input.deployment;
    if (d.spec?.paused) return refuse('nothing-to-do', `${refName(d)} is already paused`);
    return boundPlan(input, request, pause.kubectl(request, ref(d)), {
      summary: `Pause the rollout of ${refName(d)} (revision ${revisionOf(d)}).`,
      patch: [{ op: 'add', path: '/spec/paused', value: true }],
    });
  },
  progress: pausedObserved,
};

/** `kubectl rollout resume`: spec.paused removed, as its `{"spec":{"paused":null}}` patch leaves it. */
export const resume: ActionModule<'resume'> = {
  kind: 'resume',
  title: 'Resume',
  kubectl: (_r, r) => `kubectl rollout resume ${kubectlTarget(r)}`,
  plan(input, request) {
    const d = input.deployment;
    if (!d.spec?.paused) return refuse('nothing-to-do', `${refName(d)} is not paused`);
    return boundPlan(input, request, resume.kubectl(request, ref(d)), {
      summary: `Resume the rollout of ${refName(d)} (revision ${revisionOf(d)}).`,
      patch: [{ op: 'remove', path: '/spec/paused' }],
    });
  },
  progress: (after) => (after.spec?.paused ? 'progressing' : 'succeeded'),
};
