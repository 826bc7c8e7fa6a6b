import type { Container, ContainerState as ApiContainerState, ContainerStateTerminated, ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { ImageBehavior } from '../catalog/types.js';

/** Crash-loop back-off bookkeeping (client-go flowcontrol.Backoff, 10 s doubling to 5 min). */
export interface BackoffEntry {
  delayMs: number;
  lastUpdateMs: number;
}

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
/** How often the kubelet re-syncs a pod stuck in an error state (and repeats its events). */
export const RESYNC_MS = 10_000;

/** The runtime's view of one container of a pod, across restarts. */
export class ContainerRuntimeState {
  state: ApiContainerState = { waiting: { reason: 'ContainerCreating' } };
  lastTerminated?: ContainerStateTerminated;
  restartCount = 0;
  ready = false;
  started = false;
  listening = false;
  behavior?: ImageBehavior;
  imageID = '';
  containerID?: string;
  pullBackoff?: BackoffEntry;
  crashBackoff?: BackoffEntry;
  /** Timers of the current instance (probes, exit, start-up); cleared when it stops. */
  readonly timers = new Set<number>();
  readonly probeCounts = { readinessOk: 0, readinessFail: 0, livenessFail: 0, startupFail: 0 };

  constructor(
    readonly spec: Container,
    readonly init: boolean,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get fieldPath(): string {
    return `${this.init ? 'spec.initContainers' : 'spec.containers'}{${this.spec.name}}`;
  }

  get running(): boolean {
    return Boolean(this.state.running);
  }

  /** Waiting without ever having run: what keeps a pod Pending (getPhase). */
  get neverRan(): boolean {
    return Boolean(this.state.waiting) && !this.lastTerminated;
  }

  wait(reason: string, message?: string): void {
    this.state = { waiting: { reason, ...(message ? { message } : {}) } };
    this.ready = false;
  }

  toStatus(): ContainerStatus {
    return {
      name: this.spec.name,
      state: this.state,
      lastState: this.lastTerminated ? { terminated: this.lastTerminated } : {},
      ready: this.ready,
      restartCount: this.restartCount,
      image: this.spec.image ?? '',
      imageID: this.imageID,
      ...(this.containerID ? { containerID: this.containerID } : {}),
      started: this.started,
    };
  }
}

/** Next back-off (flowcontrol.Backoff.Next): starts at 10 s, doubles, resets after 2× max idle. */
export function nextBackoff(entry: BackoffEntry | undefined, eventMs: number, nowMs: number): BackoffEntry {
  if (!entry || eventMs - entry.lastUpdateMs > 2 * MAX_BACKOFF_MS) return { delayMs: INITIAL_BACKOFF_MS, lastUpdateMs: nowMs };
  return { delayMs: Math.min(entry.delayMs * 2, MAX_BACKOFF_MS), lastUpdateMs: nowMs };
}

export function isExpired(entry: BackoffEntry, eventMs: number): boolean {
  return eventMs - entry.lastUpdateMs > 2 * MAX_BACKOFF_MS;
}
