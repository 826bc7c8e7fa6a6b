import type { Container, ContainerStatus, Event, Pod } from 'kubernetes-types/core/v1.js';
import { isRunToCompletionInit } from '../failure-signals.js';

/**
 * Would-be pods: a pod of the new template with the status the kubelet or
 * the scheduler would give it, and the events they would record, written
 * in their words so the diagnosis' analyzers read them as they read a
 * cluster's.
 */
export interface WouldBePod {
  pod: Pod;
  events: Event[];
}

/** A container's trouble: it waits with this reason and message. */
export interface Waiting {
  container: string;
  reason: string;
  message: string;
}

export interface Clock {
  /** When the would-be pods start (now). */
  start: string;
  /** When the would-be world is looked at: after every start-up allowance has passed. */
  seen: string;
}

/** A started, ready container; a finished one for init containers that run to completion. */
function healthyStatus(pod: Pod, c: Container, at: string): ContainerStatus {
  const base = { name: c.name, image: c.image ?? '', imageID: '', restartCount: 0 };
  if (isRunToCompletionInit(pod, c.name)) return { ...base, ready: true, started: false, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } } };
  return { ...base, ready: true, started: true, state: { running: { startedAt: at } } };
}

/**
 * The pod on a node, its containers running and ready except those given:
 * those wait (or run unready), and app containers wait behind a failing
 * init container, as the kubelet runs them.
 */
export function runningPod(pod: Pod, node: string | undefined, clock: Clock, troubles: { waiting?: Waiting[]; unready?: string[] }): Pod {
  const waiting = new Map((troubles.waiting ?? []).map((w) => [w.container, w]));
  const initBlocked = (pod.spec?.initContainers ?? []).some((c) => waiting.has(c.name) && isRunToCompletionInit(pod, c.name));
  const status = (c: Container): ContainerStatus => {
    const w = waiting.get(c.name);
    const healthy = healthyStatus(pod, c, clock.start);
    if (w) return { ...healthy, ready: false, started: false, state: { waiting: { reason: w.reason, message: w.message } } };
    const isApp = !(pod.spec?.initContainers ?? []).some((x) => x.name === c.name);
    if (isApp && initBlocked) return { ...healthy, ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } };
    if (troubles.unready?.includes(c.name)) return { ...healthy, ready: false };
    return healthy;
  };
  const initStatuses = (pod.spec?.initContainers ?? []).map(status);
  const appStatuses = (pod.spec?.containers ?? []).map(status);
  const ready = [...initStatuses, ...appStatuses].every((s) => s.ready);
  const condition = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: clock.start });
  return {
    ...pod,
    spec: { ...pod.spec!, ...(node ? { nodeName: node } : {}) },
    status: {
      phase: ready || !waiting.size ? 'Running' : 'Pending',
      startTime: clock.start,
      conditions: [condition('PodScheduled', true), condition('Initialized', !initBlocked), condition('ContainersReady', ready), condition('Ready', ready)],
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      containerStatuses: appStatuses,
    },
  };
}

/** A pod the scheduler could not place: Pending, PodScheduled False Unschedulable, no container started. */
export function unschedulablePod(pod: Pod, clock: Clock, message: string): Pod {
  return {
    ...pod,
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastTransitionTime: clock.start }] },
  };
}

/** An event about a would-be object, recorded between the start and the moment the world is looked at. */
export function wouldBeEvent(
  about: { kind: string; name: string; namespace: string; uid?: string },
  reason: string,
  message: string,
  clock: Clock,
  opts: { type?: 'Warning' | 'Normal'; container?: string; count?: number; component?: string } = {},
): Event {
  return {
    metadata: { name: `${about.name}.preflight-${reason.toLowerCase()}`, namespace: about.namespace },
    involvedObject: { kind: about.kind, name: about.name, namespace: about.namespace, ...(about.uid ? { uid: about.uid } : {}), ...(opts.container ? { fieldPath: `spec.containers{${opts.container}}` } : {}) },
    reason,
    message,
    type: opts.type ?? 'Warning',
    count: opts.count ?? 1,
    firstTimestamp: clock.start,
    lastTimestamp: clock.seen,
    source: { component: opts.component ?? 'kubelet' },
  };
}

export const podRef = (pod: Pod) => ({ kind: 'Pod', name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '', uid: pod.metadata?.uid });
