import type { Container, LimitRange, Pod } from 'kubernetes-types/core/v1.js';
import { parseQuantity } from '../../../domain/quantity.js';
import { resourceOfKind } from '../resources.js';
import { StatusError } from '../status-error.js';
import type { AdmissionHook } from '../store.js';
import { canonicalQuantity } from '../tables/quantity.js';

const LIMIT_RANGES = resourceOfKind('LimitRange');

type Resources = Record<string, string>;

/**
 * The LimitRanger admission plugin for pod creation: its mutating half sets
 * a Container item's default limits and requests on containers that lack
 * them (and says so in the pod's annotation), its validating half enforces
 * min and max, with the plugin's words.
 */
export const enforceLimitRanges: AdmissionHook = (obj, { op, store }) => {
  if (op !== 'create' || obj.kind !== 'Pod') return;
  const pod = obj as unknown as Pod;
  const items = store
    .list(LIMIT_RANGES, { namespace: obj.metadata.namespace })
    .flatMap((lr) => (lr as unknown as LimitRange).spec?.limits ?? [])
    .filter((i) => i.type === 'Container');
  if (!items.length) return;
  const set: string[] = [];
  for (const item of items) {
    for (const c of pod.spec?.containers ?? []) mergeDefaults(c, item.default as Resources, item.defaultRequest as Resources, 'container', set);
    for (const c of pod.spec?.initContainers ?? []) mergeDefaults(c, item.default as Resources, item.defaultRequest as Resources, 'init container', set);
  }
  if (set.length) obj.metadata.annotations = { ...obj.metadata.annotations, 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${set.join('; ')}` };
  const errors: string[] = [];
  for (const item of items) {
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
      const requests = (c.resources?.requests ?? {}) as Resources;
      const limits = (c.resources?.limits ?? {}) as Resources;
      for (const [resource, min] of Object.entries((item.min ?? {}) as Resources)) errors.push(...minConstraint(resource, min, requests, limits));
      for (const [resource, max] of Object.entries((item.max ?? {}) as Resources)) errors.push(...maxConstraint(resource, max, requests, limits));
    }
  }
  if (errors.length) {
    // utilerrors.NewAggregate: one error alone, several as [a, b].
    const message = errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
    throw new StatusError(403, 'Forbidden', `pods "${obj.metadata.name}" is forbidden: ${message}`, { name: obj.metadata.name, kind: 'pods' });
  }
};

function mergeDefaults(c: Container, limits: Resources | undefined, requests: Resources | undefined, what: string, set: string[]): void {
  const resources = (c.resources ??= {});
  const add = (defaults: Resources | undefined, current: Record<string, unknown>) =>
    Object.entries(defaults ?? {})
      .filter(([k]) => current[k] === undefined)
      .map(([k, v]) => ((current[k] = v), k))
      .sort();
  const setRequests = add(requests, (resources.requests ??= {}) as Record<string, unknown>);
  const setLimits = add(limits, (resources.limits ??= {}) as Record<string, unknown>);
  if (setRequests.length) set.push(`${setRequests.join(', ')} request for ${what} ${c.name}`);
  if (setLimits.length) set.push(`${setLimits.join(', ')} limit for ${what} ${c.name}`);
}

const q = (v: string) => canonicalQuantity(v);
const value = (v: string | undefined) => parseQuantity(v) ?? 0;

function minConstraint(resource: string, min: string, requests: Resources, limits: Resources): string[] {
  const req = requests[resource];
  const lim = limits[resource];
  if (req === undefined) return [`minimum ${resource} usage per Container is ${q(min)}.  No request is specified`];
  if (value(req) < value(min)) return [`minimum ${resource} usage per Container is ${q(min)}, but request is ${q(req)}`];
  if (lim !== undefined && value(lim) < value(min)) return [`minimum ${resource} usage per Container is ${q(min)}, but limit is ${q(lim)}`];
  return [];
}

function maxConstraint(resource: string, max: string, requests: Resources, limits: Resources): string[] {
  const req = requests[resource];
  const lim = limits[resource];
  if (lim === undefined) return [`maximum ${resource} usage per Container is ${q(max)}.  No limit is specified`];
  if (value(lim) > value(max)) return [`maximum ${resource} usage per Container is ${q(max)}, but limit is ${q(lim)}`];
  if (req !== undefined && value(req) > value(max)) return [`maximum ${resource} usage per Container is ${q(max)}, but request is ${q(req)}`];
  return [];
}
