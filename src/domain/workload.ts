/**
 * Deployment arithmetic shared by the diagnosis (what kubectl and the
 * controller would do) and the simulator's controller: pure functions of
 * plain Kubernetes JSON, no I/O.
 */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Annotations the controller never copies from a Deployment to its ReplicaSets (and kubectl undo keeps). */
export const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

export type IntOrPercent = number | string | undefined;

/** intstr.GetScaledValueFromIntOrPercent: "25%" of 3 is 1 rounded up, 0 rounded down. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v.trim());
  if (!m) return Number.isInteger(Number(v)) ? Number(v) : 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface RollingParams {
  maxSurge?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
}

/** ResolveFenceposts: surge rounds up, unavailability down, and both zero means one may be unavailable. */
export function resolveFenceposts(p: RollingParams, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(p.maxSurge, desired, true);
  let unavailable = scaledValue(p.maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export interface DeploymentLike {
  spec?: {
    replicas?: number;
    strategy?: { type?: string; rollingUpdate?: RollingParams };
  };
}

export function maxUnavailable(d: DeploymentLike): number {
  const replicas = d.spec?.replicas ?? 1;
  if (d.spec?.strategy?.type === 'Recreate' || replicas === 0) return 0;
  return Math.min(resolveFenceposts(d.spec?.strategy?.rollingUpdate ?? {}, replicas).unavailable, replicas);
}

export function maxSurge(d: DeploymentLike): number {
  if (d.spec?.strategy?.type === 'Recreate') return 0;
  return resolveFenceposts(d.spec?.strategy?.rollingUpdate ?? {}, d.spec?.replicas ?? 1).surge;
}

export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const v = Number(obj?.metadata?.annotations?.[REVISION_ANNOTATION]);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

/** A pod template without the controller's pod-template-hash label, for EqualIgnoreHash comparisons. */
export function templateWithoutHash<T extends { metadata?: { labels?: Record<string, string> } }>(t: T): T {
  const copy = structuredClone(t);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

type Owned = { metadata?: { ownerReferences?: Array<{ uid: string; controller?: boolean }> } };

/** The uid of the object's controller (the ownerReference with controller: true). */
export function controllerUid(obj: Owned): string | undefined {
  return obj.metadata?.ownerReferences?.find((o) => o.controller)?.uid;
}

/**
 * The objects a controller owns: a label selector can match another
 * controller's objects too (two deployments sharing `app=web`), so ownership
 * is decided by the controller ownerReference, as the controllers do.
 */
export function controlledBy<T extends Owned>(owners: Array<{ metadata?: { uid?: string } }>, objects: T[]): T[] {
  const uids = new Set(owners.map((o) => o.metadata?.uid).filter((u): u is string => Boolean(u)));
  return objects.filter((o) => {
    const uid = controllerUid(o);
    return uid !== undefined && uids.has(uid);
  });
}

/** An equality-based selector (a Service's, a nodeSelector) against an object's labels. */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The container images of a pod template, in container order. */
export function imagesOf(t: { spec?: { containers?: Array<{ image?: string }> } } | undefined): string[] {
  return (t?.spec?.containers ?? []).map((c) => c.image ?? '');
}
