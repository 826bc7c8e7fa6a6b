import type { Pod, PodCondition, PodStatus, Probe } from 'kubernetes-types/core/v1.js';
import { jsonEqual } from '../../../domain/json.js';
import { formatImageRef, parseImageRef, type ImageRef } from '../../../domain/image-ref.js';
import { parseQuantity } from '../../../domain/quantity.js';
import { as, copy, toKube } from '../controllers/context.js';
import { setPodCondition } from '../controllers/scheduler.js';
import { resourceOfKind } from '../resources.js';
import { resolveEnvironment, pullCredentials, volumeErrors } from './container-config.js';
import { ContainerRuntimeState, RESYNC_MS, isExpired, nextBackoff } from './container-runtime.js';
import { dependencyFailure } from './dependencies.js';
import { goDuration } from './go-duration.js';
import type { PullResult } from './image-source.js';
import type { KubeletDeps } from './kubelet.js';
import { runProbe, type ProbeKind } from './probes.js';

const PODS = resourceOfKind('Pod');
const MiB = 1024 * 1024;

/** runc's words when the command cannot be exec'd, wrapped as containerd reports a failed task start. */
function execError(command: string | undefined, executables: string[] | undefined): string | undefined {
  if (!command || !executables || executables.includes(command)) return undefined;
  const why = command.includes('/') ? `stat ${command}: no such file or directory` : 'executable file not found in $PATH';
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: ${JSON.stringify(command)}: ${why}: unknown`;
}

/**
 * One pod on one node: sandbox, image pulls with back-off, config errors,
 * container starts, probes, exits, OOM kills and crash-loop back-off, each
 * reported through the pod's status, events and logs as the kubelet does.
 */
export class PodWorker {
  private readonly app: ContainerRuntimeState[];
  private readonly init: ContainerRuntimeState[];
  private readonly podTimers = new Set<number>();
  private sandboxReady = false;
  private startTime?: string;
  private mountRetryMs = 2_000;
  private stopped = false;

  constructor(
    private readonly k: KubeletDeps,
    private readonly namespace: string,
    private readonly name: string,
    private readonly uid: string,
    private readonly podIP: string,
  ) {
    const pod = this.pod()!;
    this.init = (pod.spec?.initContainers ?? []).map((c) => new ContainerRuntimeState(c, true));
    this.app = (pod.spec?.containers ?? []).map((c) => new ContainerRuntimeState(c, false));
    for (const c of [...this.init, ...this.app]) c.wait(this.notCreatedReason);
  }

  /** convertToAPIContainerStatuses: a container the runtime has not created yet waits on this. */
  private get notCreatedReason(): string {
    return this.init.length ? 'PodInitializing' : 'ContainerCreating';
  }

  start(): void {
    this.setUpSandbox();
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.podTimers) this.k.clock.clearTimer(t);
    for (const c of [...this.init, ...this.app]) this.clearInstance(c);
    this.k.usage.clear(this.namespace, this.name);
  }

  private pod(): Pod | undefined {
    const obj = this.k.store.get(PODS, this.namespace, this.name);
    return obj && obj.metadata.uid === this.uid ? as<Pod>(obj) : undefined;
  }

  private get podDescription(): string {
    return `${this.name}_${this.namespace}(${this.uid})`;
  }

  private after(ms: number, fn: () => void, c?: ContainerRuntimeState): void {
    const set = c ? c.timers : this.podTimers;
    const id = this.k.clock.setTimer(ms, () => {
      set.delete(id);
      if (!this.stopped && this.pod()) fn();
    });
    set.add(id);
  }

  private clearInstance(c: ContainerRuntimeState): void {
    for (const t of c.timers) this.k.clock.clearTimer(t);
    c.timers.clear();
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string, c?: ContainerRuntimeState): void {
    const pod = this.pod();
    if (pod) this.k.events.record(toKube(pod), type, reason, message, { component: 'kubelet', host: this.k.nodeOf(pod) }, c?.fieldPath);
  }

  private log(c: ContainerRuntimeState, lines: string[], vars: Record<string, string> = {}): void {
    const ref = parseImageRef(c.spec.image ?? '');
    const all = { app: ref.ok ? ref.ref.repository.split('/').pop()! : c.name, tag: ref.ok ? (ref.ref.tag ?? '') : '', ...vars };
    for (const line of lines) {
      const text = line.replace(/\$\{(\w+)\}/g, (m, key: string) => all[key as keyof typeof all] ?? m);
      this.k.logs.append(this.namespace, this.name, c.name, { time: this.k.clock.nowMs(), text });
    }
  }

  // --- sandbox and volumes -------------------------------------------------

  private setUpSandbox(): void {
    const pod = this.pod();
    if (!pod) return;
    const mountErrors = volumeErrors(this.k.store, pod);
    if (mountErrors.length) {
      mountErrors.forEach((m) => this.event('Warning', 'FailedMount', m));
      this.sync();
      this.after(this.mountRetryMs, () => this.setUpSandbox());
      this.mountRetryMs = Math.min(this.mountRetryMs * 2, 122_000);
      return;
    }
    this.sandboxReady = true;
    this.startTime = this.k.clock.timestamp();
    this.sync();
    if (this.init.length) this.startContainer(this.init[0]!);
    else this.app.forEach((c) => this.startContainer(c));
  }

  // --- images ----------------------------------------------------------------

  private startContainer(c: ContainerRuntimeState): void {
    const image = c.spec.image ?? '';
    const parsed = parseImageRef(image);
    if (!parsed.ok) {
      const message = `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${parsed.reason}`;
      c.wait('InvalidImageName', message);
      this.event('Warning', 'InspectFailed', message, c);
      this.event('Warning', 'Failed', 'Error: InvalidImageName', c);
      this.sync();
      this.after(RESYNC_MS, () => this.startContainer(c), c);
      return;
    }
    const present = c.behavior && this.k.imagesOn(this.k.nodeOf(this.pod()!)).has(formatImageRef(parsed.ref));
    if (present && c.spec.imagePullPolicy !== 'Always') {
      this.event('Normal', 'Pulled', `Container image "${image}" already present on machine`, c);
      this.createContainer(c);
      return;
    }
    this.pull(c, parsed.ref);
  }

  private pull(c: ContainerRuntimeState, ref: ImageRef): void {
    const image = c.spec.image ?? '';
    this.event('Normal', 'Pulling', `Pulling image "${image}"`, c);
    if (!c.lastTerminated) c.wait(this.notCreatedReason);
    this.sync();
    const started = this.k.clock.nowMs();
    const finish = (r: PullResult) => {
      const ms = r.ok ? 500 + Math.round((r.sizeBytes / 60_000_000) * 1000) : 800;
      this.after(Math.max(0, started + ms - this.k.clock.nowMs()), () => this.pulled(c, ref, r, ms), c);
    };
    const result = this.k.images.pull(ref, pullCredentials(this.k.store, this.pod()!));
    if (result instanceof Promise) {
      this.k.runtime.track(result.then(finish, (err: unknown) => finish({ ok: false, message: `rpc error: code = Unknown desc = ${(err as Error).message}` })));
    } else finish(result);
  }

  private pulled(c: ContainerRuntimeState, ref: ImageRef, r: PullResult, ms: number): void {
    const image = c.spec.image ?? '';
    if (r.ok) {
      c.behavior = r.behavior;
      c.imageID = `${ref.registry}/${ref.repository}@${r.digest}`;
      c.pullBackoff = undefined;
      this.k.imagesOn(this.k.nodeOf(this.pod()!)).add(formatImageRef(ref));
      const d = goDuration(ms);
      this.event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${d} (${d} including waiting). Image size: ${r.sizeBytes} bytes.`, c);
      this.createContainer(c);
      return;
    }
    this.event('Warning', 'Failed', `Failed to pull image "${image}": ${r.message}`, c);
    this.event('Warning', 'Failed', 'Error: ErrImagePull', c);
    c.wait('ErrImagePull', r.message);
    const now = this.k.clock.nowMs();
    c.pullBackoff = nextBackoff(c.pullBackoff, now, now);
    this.sync();
    const until = now + c.pullBackoff.delayMs;
    this.after(1000, () => this.pullBackOff(c, ref, r.message, until), c);
  }

  private pullBackOff(c: ContainerRuntimeState, ref: ImageRef, error: string, until: number): void {
    const now = this.k.clock.nowMs();
    if (now >= until) return this.pull(c, ref);
    const image = c.spec.image ?? '';
    c.wait('ImagePullBackOff', `Back-off pulling image "${image}": ErrImagePull: ${error}`);
    this.event('Normal', 'BackOff', `Back-off pulling image "${image}"`, c);
    this.event('Warning', 'Failed', 'Error: ImagePullBackOff', c);
    this.sync();
    this.after(Math.min(RESYNC_MS, until - now), () => this.pullBackOff(c, ref, error, until), c);
  }

  // --- containers --------------------------------------------------------------

  private createContainer(c: ContainerRuntimeState): void {
    const pod = this.pod()!;
    const env = resolveEnvironment(this.k.store, pod, c.spec);
    if ('error' in env) {
      c.wait('CreateContainerConfigError', env.error);
      this.event('Warning', 'Failed', `Error: ${env.error}`, c);
      this.sync();
      this.after(RESYNC_MS, () => this.createContainer(c), c);
      return;
    }
    const b = c.behavior!;
    c.containerID = `containerd://${this.k.random.uuid().replace(/-/g, '')}${this.k.random.uuid().replace(/-/g, '')}`;
    this.k.logs.rotate(this.namespace, this.name, c.name);
    this.event('Normal', 'Created', `Created container ${c.name}`, c);
    const startError = execError(c.spec.command?.[0] ?? b.entrypoint, b.executables);
    if (startError) return this.startFailed(c, startError);
    this.event('Normal', 'Started', `Started container ${c.name}`, c);
    const startedAt = this.k.clock.timestamp();
    c.state = { running: { startedAt } };
    this.k.usage.set(this.namespace, this.name, { container: c.name, cpuNanoCores: (b.cpuMillicores ?? 10) * 1e6, memoryBytes: b.memoryMiB * MiB, at: this.k.clock.nowMs() });
    c.started = !c.spec.startupProbe;
    c.ready = false;
    c.listening = false;
    Object.assign(c.probeCounts, { readinessOk: 0, readinessFail: 0, livenessFail: 0, startupFail: 0 });
    this.log(c, b.startLogs);

    this.after(b.startupSeconds * 1000, () => {
      c.listening = true;
      this.log(c, b.readyLogs ?? []);
      if (c.init && !b.exit) this.terminate(c, 0, 'Completed');
      else this.sync();
    }, c);
    if (b.exit) this.after(b.exit.afterSeconds * 1000, () => (this.log(c, b.exit!.logs), this.terminate(c, b.exit!.code, b.exit!.code ? 'Error' : 'Completed')), c);
    for (const dep of b.requires ?? []) {
      this.after(dep.afterSeconds * 1000, () => {
        const failure = dependencyFailure(this.k.store, this.namespace, dep, env.env);
        if (!failure) return;
        this.log(c, failure.lines, failure.vars);
        this.terminate(c, 1, 'Error');
      }, c);
    }
    const limit = parseQuantity(c.spec.resources?.limits?.memory as string | undefined);
    if (limit !== undefined && b.memoryMiB * MiB > limit) {
      this.after(Math.max(1, b.startupSeconds * 0.6) * 1000, () => this.terminate(c, 137, 'OOMKilled'), c);
    }
    if (c.spec.startupProbe) this.scheduleProbe(c, c.spec.startupProbe, 'Startup', c.spec.startupProbe.initialDelaySeconds ?? 0);
    else this.startMainProbes(c);
    this.sync();
  }

  private startMainProbes(c: ContainerRuntimeState): void {
    const { readinessProbe, livenessProbe } = c.spec;
    const since = (Date.parse((c.state.running?.startedAt as string) ?? '') || this.k.clock.nowMs()) - this.k.clock.nowMs();
    if (readinessProbe) this.scheduleProbe(c, readinessProbe, 'Readiness', Math.max(0, (readinessProbe.initialDelaySeconds ?? 0) + since / 1000));
    else c.ready = true;
    if (livenessProbe) this.scheduleProbe(c, livenessProbe, 'Liveness', Math.max(0, (livenessProbe.initialDelaySeconds ?? 0) + since / 1000));
  }

  private scheduleProbe(c: ContainerRuntimeState, probe: Probe, kind: ProbeKind, delaySeconds: number): void {
    this.after(delaySeconds * 1000, () => this.probe(c, probe, kind), c);
  }

  private probe(c: ContainerRuntimeState, probe: Probe, kind: ProbeKind): void {
    if (!c.running) return;
    const output = runProbe(probe, { podIP: this.podIP, container: c.spec, behavior: c.behavior!, listening: c.listening });
    const counts = c.probeCounts;
    const period = (probe.periodSeconds ?? 10) * 1000;
    const threshold = probe.failureThreshold ?? 3;
    if (output !== undefined) this.event('Warning', 'Unhealthy', `${kind} probe failed: ${output}`, c);
    if (kind === 'Startup') {
      if (output === undefined) {
        c.started = true;
        this.startMainProbes(c);
        return this.sync();
      }
      if (++counts.startupFail >= threshold) return this.kill(c, `Container ${c.name} failed startup probe, will be restarted`);
    } else if (kind === 'Liveness') {
      counts.livenessFail = output === undefined ? 0 : counts.livenessFail + 1;
      if (counts.livenessFail >= threshold) return this.kill(c, `Container ${c.name} failed liveness probe, will be restarted`);
    } else if (output === undefined) {
      counts.readinessFail = 0;
      if (++counts.readinessOk >= (probe.successThreshold ?? 1)) c.ready = true;
    } else {
      counts.readinessOk = 0;
      if (++counts.readinessFail >= threshold) c.ready = false;
    }
    this.sync();
    this.after(period, () => this.probe(c, probe, kind), c);
  }

  private kill(c: ContainerRuntimeState, message: string): void {
    this.event('Normal', 'Killing', message, c);
    this.terminate(c, 137, 'Error');
  }

  /**
   * The runtime created the container but could not start its process: it
   * is left Exited with StartError and exit code 128 (and containerd's zero
   * start time), the kubelet reports RunContainerError, then backs off.
   */
  private startFailed(c: ContainerRuntimeState, message: string): void {
    this.clearInstance(c);
    this.event('Warning', 'Failed', `Error: ${message}`, c);
    c.lastTerminated = { exitCode: 128, reason: 'StartError', message, startedAt: '1970-01-01T00:00:00Z', finishedAt: this.k.clock.timestamp(), containerID: c.containerID };
    c.wait('RunContainerError', message);
    c.started = false;
    this.sync();
    this.backOffOrRestart(c, this.k.clock.nowMs());
  }

  /** The container process ended; restart it now or after the crash-loop back-off. */
  private terminate(c: ContainerRuntimeState, exitCode: number, reason: string): void {
    this.clearInstance(c);
    this.k.usage.clear(this.namespace, this.name, c.name);
    const finishedMs = this.k.clock.nowMs();
    c.state = {
      terminated: { exitCode, reason, startedAt: c.state.running?.startedAt, finishedAt: this.k.clock.timestamp(), containerID: c.containerID },
    };
    c.ready = false;
    c.listening = false;
    c.started = false;
    this.sync();
    if (c.init && exitCode === 0) {
      const next = this.init[this.init.indexOf(c) + 1];
      if (next) this.startContainer(next);
      else this.app.forEach((a) => this.startContainer(a));
      return;
    }
    if (this.pod()?.spec?.restartPolicy === 'Never') return;
    this.backOffOrRestart(c, finishedMs);
  }

  private backOffOrRestart(c: ContainerRuntimeState, finishedMs: number): void {
    const entry = c.crashBackoff;
    if (entry && !isExpired(entry, finishedMs)) return this.crashLoop(c, finishedMs);
    c.crashBackoff = nextBackoff(undefined, finishedMs, finishedMs);
    this.after(1000, () => this.restart(c), c);
  }

  private crashLoop(c: ContainerRuntimeState, finishedMs: number): void {
    const now = this.k.clock.nowMs();
    const until = finishedMs + c.crashBackoff!.delayMs;
    if (now >= until) {
      c.crashBackoff = nextBackoff(c.crashBackoff, finishedMs, now);
      return this.restart(c);
    }
    if (c.state.terminated) c.lastTerminated = c.state.terminated;
    c.wait('CrashLoopBackOff', `back-off ${goDuration(c.crashBackoff!.delayMs)} restarting failed container=${c.name} pod=${this.podDescription}`);
    this.event('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${this.podDescription}`, c);
    this.sync();
    this.after(Math.min(RESYNC_MS, until - now), () => this.crashLoop(c, finishedMs), c);
  }

  private restart(c: ContainerRuntimeState): void {
    if (c.state.terminated) c.lastTerminated = c.state.terminated;
    c.restartCount++;
    this.startContainer(c);
  }

  // --- status --------------------------------------------------------------------

  /** generateAPIPodStatus: phase, conditions and container statuses from the runtime state. */
  private sync(): void {
    const pod = this.pod();
    if (!pod || this.stopped) return;
    const next = copy(pod);
    const status: PodStatus = (next.status ??= {});
    const now = this.k.clock.timestamp();
    const initDone = this.init.every((c) => c.state.terminated?.exitCode === 0);
    const unready = this.app.filter((c) => !c.ready).map((c) => c.name);
    status.phase = !this.sandboxReady || this.app.some((c) => c.neverRan) || !initDone ? 'Pending' : 'Running';
    const conditions: PodCondition[] = [];
    const keep = (type: string, cond: Omit<PodCondition, 'type' | 'lastTransitionTime'>) => {
      const scratch: PodStatus = { conditions: status.conditions?.filter((x) => x.type === type) };
      setPodCondition(scratch, { type, ...cond, lastTransitionTime: now });
      conditions.push(scratch.conditions![0]!);
    };
    if (this.sandboxReady) keep('PodReadyToStartContainers', { status: 'True' });
    keep('Initialized', initDone ? { status: 'True' } : { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${this.init.filter((c) => c.state.terminated?.exitCode !== 0).map((c) => c.name).join(' ')}]` });
    const readiness = unready.length ? { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` } : { status: 'True' };
    keep('Ready', readiness);
    keep('ContainersReady', readiness);
    const scheduled = status.conditions?.find((x) => x.type === 'PodScheduled');
    if (scheduled) conditions.push(scheduled);
    status.conditions = conditions;
    status.hostIP = this.k.hostIPOf(this.k.nodeOf(pod));
    status.hostIPs = [{ ip: status.hostIP }];
    if (this.sandboxReady) {
      status.podIP = this.podIP;
      status.podIPs = [{ ip: this.podIP }];
      status.startTime = this.startTime;
    }
    if (this.init.length) status.initContainerStatuses = this.init.map((c) => c.toStatus());
    status.containerStatuses = this.app.map((c) => c.toStatus());
    if (!jsonEqual(pod.status, status)) this.k.store.update(PODS, toKube(next), { subresource: 'status' });
  }
}
