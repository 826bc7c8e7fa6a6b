import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Container, ContainerStatus, Event, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { eventCount, eventLastSeenMs } from '../events.js';
import type { Evidence, Fix, Severity } from '../finding.js';
import { isLivePod, isRunToCompletionInit, newRevisionReplicaSet } from '../failure-signals.js';
import { lastHealthyRevision, revisionHistory } from '../rollout.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { controlledBy, maxUnavailable, revisionOf } from '../workload.js';

/**
 * What every analyzer needs to know about a snapshot, computed the same way
 * for all of them. Inputs are sorted here so that findings never depend on
 * the order the API (or a test) delivered the arrays in.
 */
export interface AnalysisContext {
  snapshot: DeploymentSnapshot;
  deployment: Deployment;
  namespace: string;
  name: string;
  /** The deployment's revision: the one that is rolling out (or failing). */
  revision: number;
  currentRS?: ReplicaSet;
  /** Live pods of the current ReplicaSet, by name: Failed and Succeeded pods are history, not evidence. */
  pods: Pod[];
  /** When the snapshot was taken (epoch ms): the "now" of start-up allowances. */
  now: number;
  /** All events, oldest first with a stable tie-break. */
  events: Event[];
  lastHealthy: number | null;
  /** The severity of a root cause: critical when the service is degraded, else error (old pods still serve). */
  impact: Extract<Severity, 'critical' | 'error'>;
}

const byName = <T extends { metadata?: { name?: string } }>(a: T, b: T) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');

export function analysisContext(snapshot: DeploymentSnapshot): AnalysisContext {
  const d = snapshot.deployment;
  const revision = revisionOf(d);
  const currentRS = newRevisionReplicaSet(d, snapshot.replicaSets);
  const pods = controlledBy(currentRS ? [currentRS] : [], snapshot.pods).filter(isLivePod).sort(byName);
  const events = [...snapshot.events].sort(
    (a, b) => eventLastSeenMs(a) - eventLastSeenMs(b) || byName(a, b) || (a.message ?? '').localeCompare(b.message ?? ''),
  );
  const desired = d.spec?.replicas ?? 1;
  const available = d.status?.availableReplicas ?? 0;
  const degraded = desired > 0 && (available === 0 || available < desired - maxUnavailable(d));
  return {
    snapshot,
    deployment: d,
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    revision,
    currentRS,
    pods,
    now: Date.parse(snapshot.collectedAt) || 0,
    events,
    lastHealthy: lastHealthyRevision(snapshot.replicaSets),
    impact: degraded ? 'critical' : 'error',
  };
}

/** Events about one object (and, for a container, about that container), oldest first. */
export function eventsAbout(ctx: AnalysisContext, kind: string, name: string, reason?: string, container?: string): Event[] {
  return ctx.events.filter(
    (e) =>
      e.involvedObject.kind === kind &&
      e.involvedObject.name === name &&
      (reason === undefined || e.reason === reason) &&
      (container === undefined || !e.involvedObject.fieldPath || e.involvedObject.fieldPath.endsWith(`{${container}}`)),
  );
}

export function eventEvidence(e: Event): Evidence {
  const count = eventCount(e);
  return {
    kind: 'event',
    name: `${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`,
    detail: `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}${count > 1 ? ` (x${count})` : ''}`,
  };
}

/** The newest event of each distinct message, as evidence. */
export function latestEventEvidence(events: Event[]): Evidence[] {
  const seen = new Map<string, Event>();
  for (const e of events) seen.set(`${e.reason}\u0000${e.message}`, e);
  return [...seen.values()].map(eventEvidence);
}

export interface ContainerRef {
  pod: Pod;
  podName: string;
  spec: Container;
  status: ContainerStatus;
  /** An init container that runs to completion before the app (not a sidecar). */
  init: boolean;
}

/** Every container (init containers first) of the current pods that has a status. */
export function currentContainers(ctx: AnalysisContext): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const pod of ctx.pods) {
    const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const spec = specs.find((c) => c.name === status.name);
      if (spec) out.push({ pod, podName: pod.metadata?.name ?? '', spec, status, init: isRunToCompletionInit(pod, status.name) });
    }
  }
  return out;
}

/** Containers of the app proper: sidecars included, run-to-completion init containers not (they have their own family). */
export const appContainers = (ctx: AnalysisContext): ContainerRef[] => currentContainers(ctx).filter((c) => !c.init);

/** Pod creation refused by the apiserver: one per FailedCreate event of the deployment's ReplicaSets, then per ReplicaFailure condition. */
export interface CreateFailure {
  message: string;
  replicaSet?: string;
  event?: Event;
}

export function createFailures(ctx: AnalysisContext): CreateFailure[] {
  const rsNames = new Set(ctx.snapshot.replicaSets.map((rs) => rs.metadata?.name ?? ''));
  const out: CreateFailure[] = [];
  for (const e of ctx.events) {
    if (e.reason === 'FailedCreate' && e.involvedObject.kind === 'ReplicaSet' && rsNames.has(e.involvedObject.name ?? '')) out.push({ message: e.message ?? '', replicaSet: e.involvedObject.name, event: e });
  }
  const conditions = [
    ...[...ctx.snapshot.replicaSets].sort(byName).flatMap((rs) => (rs.status?.conditions ?? []).map((c) => ({ c, rs: rs.metadata?.name }))),
    ...(ctx.deployment.status?.conditions ?? []).map((c) => ({ c, rs: undefined })),
  ];
  for (const { c, rs } of conditions) if (c.type === 'ReplicaFailure' && c.status === 'True') out.push({ message: c.message ?? '', replicaSet: rs });
  return out;
}

/** Groups in first-seen order, so sorted input gives sorted groups. */
export function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

export const uniqueSorted = (xs: string[]): string[] => [...new Set(xs)].sort();

/** How a summary names the pods it is about: "pod web-7c6bd4d4d9-x2k9q" or "3 pods". */
export function podsPhrase(pods: string[]): string {
  const n = new Set(pods).size;
  return n === 1 ? `pod ${pods[0]}` : `${n} pods`;
}

/**
 * Back to the last revision known to serve; failing that (its pods are gone,
 * or some pods of this revision do serve), to the one before this revision,
 * saying that nobody has seen it healthy. A paused deployment cannot roll back.
 */
export function rollbackFixes(ctx: AnalysisContext): Fix[] {
  if (ctx.deployment.spec?.paused) return [];
  const history = revisionHistory(ctx.deployment, ctx.snapshot.replicaSets);
  const healthy = ctx.lastHealthy !== null && ctx.lastHealthy < ctx.revision;
  const to = healthy ? ctx.lastHealthy! : history.filter((r) => r.revision < ctx.revision).at(-1)?.revision;
  if (to === undefined) return [];
  const shown = (history.find((r) => r.revision === to)?.images ?? []).map((i) => i.split('/').pop()).join(', ');
  return [{ kind: 'rollback', title: `Roll back to revision ${to}${shown ? ` (${shown})` : ''}${healthy ? '' : ', not known to be healthy'}`, toRevision: to }];
}

/** The pod template of a revision, from its ReplicaSet. */
export function templateOfRevision(ctx: AnalysisContext, revision: number | null): PodTemplateSpec | undefined {
  if (revision === null) return undefined;
  return ctx.snapshot.replicaSets.find((rs) => revisionOf(rs) === revision)?.spec?.template;
}

export const podRef = (name: string) => `pod/${name}`;
export const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
