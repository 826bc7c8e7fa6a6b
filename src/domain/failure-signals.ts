import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Container, Event, Pod } from 'kubernetes-types/core/v1.js';
import { eventLastSeenMs } from './events.js';
import { podReady } from './pod-state.js';
import { currentReplicaSet, rolloutStatus } from './rollout.js';
import { controlledBy, revisionOf } from './workload.js';

/**
 * The failure signals of a rollout's new revision: the one definition of
 * "something is wrong" shared by the diagnosis (which must never call a
 * failing rollout healthy) and the incident watcher (which opens a thread for
 * the same signals). Pure: objects and a time in, the cluster's own words out.
 */
export interface FailureSignal {
  kind: 'replica-failure' | 'failed-create' | 'unschedulable' | 'waiting' | 'terminated' | 'warning-event' | 'not-ready';
  /** The object the cluster said it about: "pod/x", "replicaset/y", "deployment/z". */
  object: string;
  /** Set for pod signals: the pod's name. */
  pod?: string;
  container?: string;
  /** The cluster's reason, as it wrote it (CrashLoopBackOff, FailedCreate, Error, ContainersNotReady, ...). */
  reason: string;
  /** The cluster's message, as it wrote it (may be empty). */
  message: string;
}

export interface RolloutObjects {
  deployment: Deployment;
  replicaSets: ReplicaSet[];
  pods: Pod[];
  events: Event[];
}

/** How long a pod may take to become ready without that meaning anything: image pulls, start-up, first probes. */
export const DEFAULT_STARTUP_SECONDS = 300;

/** Waiting reasons every container passes through on a normal start. */
const STARTING = new Set(['ContainerCreating', 'PodInitializing']);
const PROBE_WARNING = /^(?:Readiness|Liveness|Startup) probe (?:failed|errored)/;

/** The ReplicaSet of the deployment's revision: the one rolling out (or failing). */
export function newRevisionReplicaSet(d: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  const revision = revisionOf(d);
  // Revisions are unique among a deployment's ReplicaSets, so no order is needed here.
  return replicaSets.find((rs) => revision > 0 && revisionOf(rs) === revision) ?? currentReplicaSet(d, replicaSets);
}

/** Running or about to: Failed and Succeeded pods and pods being deleted are history, not evidence. */
export const isLivePod = (p: Pod): boolean => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded';

/** Sidecars (init containers with restartPolicy Always) run beside the app; other init containers run to completion first. */
export const isRunToCompletionInit = (pod: Pod, container: string): boolean =>
  (pod.spec?.initContainers ?? []).some((c) => c.name === container && c.restartPolicy !== 'Always');

/**
 * Seconds a pod may take to become ready: the default, plus the longest
 * start-up probe budget and readiness delay of its containers, plus the
 * deployment's minReadySeconds.
 */
export function startupAllowanceSeconds(pod: Pod, minReadySeconds = 0): number {
  const containers: Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const probes = Math.max(
    0,
    ...containers.map((c) => {
      const s = c.startupProbe;
      const startup = s ? (s.initialDelaySeconds ?? 0) + (s.periodSeconds ?? 10) * (s.failureThreshold ?? 3) : 0;
      return startup + (c.readinessProbe?.initialDelaySeconds ?? 0);
    }),
  );
  return DEFAULT_STARTUP_SECONDS + probes + minReadySeconds;
}

const podStartMs = (pod: Pod): number => Date.parse(pod.status?.startTime ?? pod.metadata?.creationTimestamp ?? '') || 0;

/** The moment the pod's start-up allowance ends (epoch ms). */
function allowanceEndMs(pod: Pod, minReadySeconds = 0): number {
  return podStartMs(pod) + startupAllowanceSeconds(pod, minReadySeconds) * 1000;
}

/** A probe warning counts only when it happened after the start-up allowance: failing probes while an app starts are normal. */
export function probeWarningCounts(pod: Pod, e: Event, minReadySeconds = 0): boolean {
  return !PROBE_WARNING.test(e.message ?? '') || eventLastSeenMs(e) > allowanceEndMs(pod, minReadySeconds);
}

const about = (e: Event, kind: string, name: string | undefined) => e.involvedObject.kind === kind && e.involvedObject.name === name;

/** Every failure signal of the new revision, in a stable order: its ReplicaSet's, then its live pods' by name. */
export function failureSignals(objects: RolloutObjects, now: Date): FailureSignal[] {
  const { deployment: d } = objects;
  const rs = newRevisionReplicaSet(d, objects.replicaSets);
  const minReady = d.spec?.minReadySeconds ?? 0;
  const out: FailureSignal[] = [];
  const rsName = rs?.metadata?.name;
  for (const c of [...(rs?.status?.conditions ?? []), ...(d.status?.conditions ?? [])]) {
    if (c.type === 'ReplicaFailure' && c.status === 'True') out.push({ kind: 'replica-failure', object: rsName ? `replicaset/${rsName}` : `deployment/${d.metadata?.name}`, reason: c.reason ?? 'ReplicaFailure', message: c.message ?? '' });
  }
  // Creation failures linger in events after the ReplicaSet has its pods; they count only while pods are missing.
  const missingPods = rs !== undefined && (rs.status?.replicas ?? 0) < (rs.spec?.replicas ?? 0);
  const since = Date.parse(rs?.metadata?.creationTimestamp ?? '') || 0;
  for (const e of objects.events) {
    if (e.type !== 'Warning') continue;
    const onRs = rs !== undefined && about(e, 'ReplicaSet', rsName);
    const onDeployment = about(e, 'Deployment', d.metadata?.name) && eventLastSeenMs(e) >= since;
    if (onRs && e.reason === 'FailedCreate' && !missingPods) continue;
    if (onRs || onDeployment) out.push({ kind: e.reason === 'FailedCreate' ? 'failed-create' : 'warning-event', object: `${onRs ? 'replicaset' : 'deployment'}/${e.involvedObject.name}`, reason: e.reason ?? 'Warning', message: e.message ?? '' });
  }
  const pods = controlledBy(rs ? [rs] : [], objects.pods).filter(isLivePod).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of pods) out.push(...podSignals(pod, objects.events, minReady, now));
  return out;
}

function podSignals(pod: Pod, events: Event[], minReady: number, now: Date): FailureSignal[] {
  const name = pod.metadata?.name ?? '';
  const object = `pod/${name}`;
  const out: FailureSignal[] = [];
  const signal = (s: Omit<FailureSignal, 'object' | 'pod'>) => out.push({ object, pod: name, ...s });
  const ready = podReady(pod);
  const scheduled = Boolean(pod.spec?.nodeName);
  const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
  if (!scheduled && unschedulable) signal({ kind: 'unschedulable', reason: 'Unschedulable', message: unschedulable.message ?? '' });
  for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = cs.state?.waiting;
    if (waiting?.reason && !STARTING.has(waiting.reason)) signal({ kind: 'waiting', container: cs.name, reason: waiting.reason, message: waiting.message ?? '' });
    const exited = cs.state?.terminated;
    if (exited && exited.exitCode !== 0) signal({ kind: 'terminated', container: cs.name, reason: exited.reason ?? `ExitCode:${exited.exitCode}`, message: exited.message ?? `exit code ${exited.exitCode}` });
    // A crash before the current instance matters while the container is not serving; once ready again it is history.
    const last = cs.lastState?.terminated;
    if (!exited && last && last.exitCode !== 0 && !cs.ready) signal({ kind: 'terminated', container: cs.name, reason: last.reason ?? `ExitCode:${last.exitCode}`, message: last.message ?? `exit code ${last.exitCode}` });
  }
  // A ready pod's past warnings are history; a scheduled pod's FailedScheduling events too.
  if (!ready) {
    for (const e of events) {
      if (e.type !== 'Warning' || !about(e, 'Pod', name) || (scheduled && e.reason === 'FailedScheduling') || !probeWarningCounts(pod, e, minReady)) continue;
      const container = /\{(.+)\}$/.exec(e.involvedObject.fieldPath ?? '')?.[1];
      signal({ kind: e.reason === 'FailedScheduling' ? 'unschedulable' : 'warning-event', ...(container ? { container } : {}), reason: e.reason ?? 'Warning', message: e.message ?? '' });
    }
    if (now.getTime() > allowanceEndMs(pod, minReady)) {
      const cond = pod.status?.conditions?.find((c) => c.type === 'Ready');
      signal({ kind: 'not-ready', reason: cond?.reason ?? pod.status?.phase ?? 'NotReady', message: cond?.message ?? `pod has not become ready in ${startupAllowanceSeconds(pod, minReady)}s` });
    }
  }
  return out;
}

/**
 * A container of the new revision exited with an error within the last `seconds`: between two
 * crashes a crash-looping pod without a readiness probe is Running, ready and counted available,
 * so "complete" alone is not "recovered".
 */
export function crashedWithin(objects: RolloutObjects, now: Date, seconds: number): boolean {
  const rs = newRevisionReplicaSet(objects.deployment, objects.replicaSets);
  const since = now.getTime() - seconds * 1000;
  return controlledBy(rs ? [rs] : [], objects.pods)
    .filter(isLivePod)
    .some((pod) =>
      [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].some((cs) =>
        [cs.state?.terminated, cs.lastState?.terminated].some((t) => t !== undefined && t.exitCode !== 0 && (Date.parse(t.finishedAt ?? '') || 0) >= since),
      ),
    );
}

/** The signals that make a diagnosis a failure: any, while the rollout is not complete. */
export function rolloutFailureSignals(objects: RolloutObjects, now: Date): FailureSignal[] {
  return rolloutStatus(objects.deployment).state === 'complete' ? [] : failureSignals(objects, now);
}
