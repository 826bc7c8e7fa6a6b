import { crashedWithin, rolloutFailureSignals, type FailureSignal } from '../domain/failure-signals.js';
import { rolloutStatus } from '../domain/rollout.js';
import { revisionOf } from '../domain/workload.js';
import type { Logger } from '../log.js';
import type { Clock, DeploymentRef, DeploymentTarget, WatchState, WorkloadWatch } from '../ports.js';

/** A rollout the watcher found failing: the deployment, its failing revision and what the cluster said. */
export interface RolloutFailure {
  target: DeploymentTarget;
  revision: number;
  signals: FailureSignal[];
}

export interface WatcherOptions {
  cluster: string;
  /** How long a mild signal (one crash, a pod slow to become ready) must last before it counts. */
  debounceSeconds: number;
  /** How often rollouts are looked at again: time alone turns "slow to start" into "not ready". */
  recheckMs: number;
}

/** A failing rollout counts as recovered once no container of it has crashed for this long: the kubelet's longest crash back-off. */
const RECOVERY_SETTLE_SECONDS = 300;

/** Reasons a normal start never shows: reported at once. Anything else must last `debounceSeconds`. */
const DECISIVE = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'OOMKilled',
  'Unschedulable',
  'FailedCreate',
  'ProgressDeadlineExceeded',
]);
const decisive = (s: FailureSignal) => DECISIVE.has(s.reason) || s.kind === 'failed-create' || s.kind === 'replica-failure' || s.kind === 'unschedulable';

/**
 * The built-in watcher: the same failure signals as the diagnosis's "never
 * silent" rule (domain/failure-signals.ts), on every change the watch sees.
 * What it reports is merged into incidents by fingerprint in the store, so
 * reporting a rollout again (a repeat, another replica, a restart) opens nothing new.
 */
export class RolloutWatcher {
  /** When each rollout's mild signals were first seen; only a delay, so losing it on a restart costs one debounce. */
  private readonly firstSeen = new Map<string, number>();
  /** The revision reported failing, per rollout: reported once per process, the store merges repeats across processes. */
  private readonly failing = new Map<string, number>();
  private readonly pending = new Set<string>();
  private recheck?: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      watch: WorkloadWatch;
      clock: Clock;
      log: Logger;
      options: WatcherOptions;
      onFailing: (f: RolloutFailure) => Promise<void>;
      onHealthy: (target: DeploymentTarget, revision: number) => Promise<void>;
    },
  ) {}

  async start(): Promise<void> {
    await this.deps.watch.start((ref) => this.schedule(ref));
    for (const ref of this.deps.watch.deployments()) this.schedule(ref);
    this.recheck = setInterval(() => {
      for (const key of [...this.firstSeen.keys(), ...this.failing.keys()]) this.schedule(parseKey(key));
    }, this.deps.options.recheckMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.recheck);
    await this.deps.watch.stop();
  }

  get cluster(): string {
    return this.deps.options.cluster;
  }

  state(): WatchState {
    return this.deps.watch.state();
  }

  /** A burst of changes to one rollout (a pod's every status update) is looked at once. */
  private schedule(ref: DeploymentRef): void {
    const key = `${ref.namespace}/${ref.name}`;
    if (this.pending.has(key)) return;
    this.pending.add(key);
    setImmediate(() => {
      this.pending.delete(key);
      this.evaluate(ref).catch((err: unknown) => this.deps.log.error({ err, deployment: key }, 'watcher could not report a rollout'));
    });
  }

  private async evaluate(ref: DeploymentRef): Promise<void> {
    const key = `${ref.namespace}/${ref.name}`;
    const objects = this.deps.watch.objects(ref);
    if (!objects) {
      this.firstSeen.delete(key);
      this.failing.delete(key);
      return;
    }
    const now = this.deps.clock.now();
    const status = rolloutStatus(objects.deployment);
    const signals = [...(status.state === 'failed' ? [{ kind: 'replica-failure' as const, object: `deployment/${ref.name}`, reason: 'ProgressDeadlineExceeded', message: status.message }] : []), ...rolloutFailureSignals(objects, now)];
    const target = { cluster: this.deps.options.cluster, ...ref };
    const revision = revisionOf(objects.deployment);
    if (!signals.length) {
      this.firstSeen.delete(key);
      if (status.state !== 'complete' || !this.failing.has(key) || crashedWithin(objects, now, RECOVERY_SETTLE_SECONDS)) return;
      this.failing.delete(key);
      await this.deps.onHealthy(target, revision);
      return;
    }
    const since = this.firstSeen.get(key) ?? now.getTime();
    this.firstSeen.set(key, since);
    if (this.failing.get(key) === revision) return;
    if (signals.some(decisive) || now.getTime() - since >= this.deps.options.debounceSeconds * 1000) {
      await this.deps.onFailing({ target, revision, signals });
      this.failing.set(key, revision);
    }
  }
}

const parseKey = (key: string): DeploymentRef => {
  const [namespace, name] = key.split('/') as [string, string];
  return { namespace, name };
};
