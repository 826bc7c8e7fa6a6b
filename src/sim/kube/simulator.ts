import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { applyDefaults } from './admission/defaults.js';
import { enforceLimitRanges } from './admission/limit-ranges.js';
import { enforcePodSecurity } from './admission/pod-security.js';
import { enforceQuota } from './admission/quota.js';
import { validateObject } from './admission/validation.js';
import { callValidatingWebhooks } from './admission/webhooks.js';
import { FaultInjector } from './api/faults.js';
import { createApiServer } from './api/server.js';
import { IMAGE_CATALOG } from './catalog/images.js';
import { ensureNamespace, FAILING_PHASE_MS, HEALTHY_PHASE_MS, loadScenarios } from './catalog/load.js';
import { findScenario, SCENARIOS, type Scenario } from './catalog/scenarios.js';
import { SimClock, type ClockMode } from './clock.js';
import { controlHandler } from './control.js';
import type { ControllerContext } from './controllers/context.js';
import { startDeploymentController } from './controllers/deployment/deployment-controller.js';
import { EventRecorder } from './controllers/events.js';
import { startHousekeeping } from './controllers/housekeeping.js';
import { startPersistentVolumeController } from './controllers/persistent-volumes.js';
import { startReplicaSetController } from './controllers/replicaset.js';
import { ControllerRuntime } from './controllers/runtime.js';
import { startScheduler } from './controllers/scheduler.js';
import { CatalogImageSource, type ImageSource } from './kubelet/image-source.js';
import { startKubelets } from './kubelet/kubelet.js';
import { LogStore } from './kubelet/log-store.js';
import { ContainerUsage } from './kubelet/usage.js';
import { simKubeconfig } from './kubeconfig.js';
import { DEFAULT_NODES, nodeObject, type NodeShape } from './nodes.js';
import type { KubeObject } from './object.js';
import { SeededRandom } from './random.js';
import { resourceOfKind } from './resources.js';
import { ObjectStore } from './store.js';

export interface KubeSimulatorOptions {
  port?: number;
  host?: string;
  /** 'manual': time moves only when advanced (tests); 'real': follows the wall clock times `timeScale`. */
  clock?: ClockMode;
  timeScale?: number;
  /** Sim time at start; defaults so that after loading scenarios sim time is about now. */
  start?: Date;
  /** false: plain storage, no controllers, scheduler or kubelet. */
  controllers?: boolean;
  seed?: number;
  nodes?: NodeShape[];
  images?: ImageSource;
  scenarios?: string[] | 'all';
  log?: Logger;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The Kubernetes API simulator: store, API server, controllers and kubelets on one sim clock. */
export class KubeSimulator {
  readonly faults = new FaultInjector();
  readonly loadedScenarios = new Set<string>();
  /** What running containers use, for metrics.k8s.io. */
  readonly usage = new ContainerUsage();
  /** HTTP requests served, for tests that must show a refusal reached no cluster. */
  requestCount = 0;
  private server?: Server;
  private runtime: ControllerRuntime;
  url = '';

  private constructor(
    readonly store: ObjectStore,
    readonly clock: SimClock,
    readonly logs: LogStore,
    readonly controllers: boolean,
    private readonly log?: Logger,
  ) {
    this.runtime = new ControllerRuntime(log);
    clock.afterFire = () => this.runtime.drain();
    // Logs belong to the pod, whoever wrote them (a kubelet, or a test through the control API).
    store.subscribe((ev) => {
      if (ev.type === 'DELETED' && ev.resource.kind === 'Pod') logs.forgetPod(ev.object.metadata.namespace!, ev.object.metadata.name!);
    });
  }

  static async start(opts: KubeSimulatorOptions = {}): Promise<KubeSimulator> {
    const scenarios = resolveScenarios(opts.scenarios);
    const controllers = opts.controllers ?? true;
    if (!controllers && scenarios.length) {
      throw new Error('scenarios need the controllers: --scenario cannot be combined with --no-controllers');
    }
    // Start far enough in the past that the scenario history ends about now.
    const history = scenarios.length ? HEALTHY_PHASE_MS + FAILING_PHASE_MS : 0;
    const clock = new SimClock(opts.clock ?? 'real', opts.start ?? new Date(Date.now() - history), opts.timeScale ?? 1);
    const random = new SeededRandom(opts.seed ?? 1);
    const store = new ObjectStore(clock, random);
    // The apiserver's order: defaulting, then the object's validation, then the validating admission plugins (quota last).
    for (const hook of [applyDefaults, validateObject, enforceLimitRanges, enforcePodSecurity, callValidatingWebhooks, enforceQuota]) store.addAdmission(hook);
    const logs = new LogStore();
    const sim = new KubeSimulator(store, clock, logs, controllers, opts.log);
    if (controllers) sim.startControllers(random, opts.images ?? new CatalogImageSource(IMAGE_CATALOG));
    for (const ns of SYSTEM_NAMESPACES) ensureNamespace(store, ns);
    if (controllers) {
      (opts.nodes ?? DEFAULT_NODES).forEach((shape, i) => store.create(resourceOfKind('Node'), nodeObject(shape, i, clock.timestamp()) as unknown as KubeObject));
    }
    sim.advance(0);
    if (scenarios.length) await sim.loadScenarios(scenarios);
    await sim.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
    return sim;
  }

  private startControllers(random: SeededRandom, images: ImageSource): void {
    const ctx: ControllerContext = { store: this.store, clock: this.clock, events: new EventRecorder(this.store, this.clock), runtime: this.runtime, log: this.log };
    startHousekeeping(ctx);
    startDeploymentController(ctx);
    startReplicaSetController(ctx);
    startScheduler(ctx);
    startPersistentVolumeController(ctx);
    startKubelets({ ...ctx, logs: this.logs, images, random, usage: this.usage });
  }

  private async listen(port: number, host: string): Promise<void> {
    const server = createApiServer({ store: this.store, logs: this.logs, usage: this.usage, faults: this.faults, control: controlHandler(this), log: this.log });
    server.on('request', () => this.requestCount++);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const addr = server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
  }

  /**
   * Lets the controllers settle, then moves sim time forward by `ms`, firing
   * timers in order. For a world whose image pulls answer asynchronously (a
   * real registry) use advanceAsync.
   */
  advance(ms: number): void {
    this.runtime.drain();
    this.clock.advance(ms);
    this.runtime.drain();
  }

  /** advance, but waiting at every timer for work in flight (registry pulls) to finish. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.clock.nowMs() + ms;
    await this.runtime.settle();
    for (let next = this.clock.nextDue(); next !== undefined && next <= target; next = this.clock.nextDue()) {
      this.clock.advance(Math.max(0, next - this.clock.nowMs()));
      await this.runtime.settle();
    }
    this.clock.advance(Math.max(0, target - this.clock.nowMs()));
    await this.runtime.settle();
  }

  async loadScenarios(scenarios: Scenario[]): Promise<void> {
    const fresh = scenarios.filter((s) => !this.loadedScenarios.has(s.name));
    await loadScenarios(this, fresh);
    fresh.forEach((s) => this.loadedScenarios.add(s.name));
  }

  kubeconfig(contextName?: string): string {
    return simKubeconfig(this.url, contextName);
  }

  async stop(): Promise<void> {
    this.clock.stop();
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

export function resolveScenarios(names: string[] | 'all' | undefined): Scenario[] {
  if (!names) return [];
  if (names === 'all' || names.includes('all')) return SCENARIOS;
  return names.map((n) => {
    const s = findScenario(n);
    if (!s) throw new Error(`unknown scenario "${n}"; known: all, ${SCENARIOS.map((x) => x.name).join(', ')}`);
    return s;
  });
}
