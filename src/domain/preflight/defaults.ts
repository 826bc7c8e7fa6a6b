import type { Deployment } from 'kubernetes-types/apps/v1.js';

/**
 * The apiserver's Deployment defaults that the rollout arithmetic depends
 * on, for when no dry run answered with the stored object: one replica,
 * RollingUpdate with 25% surge and 25% unavailable, a 600 s deadline.
 */
export function withDeploymentDefaults(d: Deployment): Deployment {
  const out = structuredClone(d);
  const spec = (out.spec ??= { selector: {}, template: {} });
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxSurge ??= '25%';
    ru.maxUnavailable ??= '25%';
  }
  return out;
}
