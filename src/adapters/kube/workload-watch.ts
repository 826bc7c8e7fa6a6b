import type { Informer, KubeConfig, KubernetesListObject, KubernetesObject, ObjectCache } from '@kubernetes/client-node';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { RolloutObjects } from '../../domain/failure-signals.js';
import { controlledBy } from '../../domain/workload.js';
import type { Logger } from '../../log.js';
import type { DeploymentRef, WatchState, WorkloadWatch } from '../../ports.js';
import { ListWatch, Watch } from './client-node.js';
import { KubeJsonReader } from './json-reader.js';
import { watchedObject } from './watched-objects.js';

type Cache<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;

/** A cache read as the domain's plain Kubernetes JSON (the informer stores what the API sent). */
interface View<T> {
  get(name: string, namespace: string): T | undefined;
  list(namespace: string): readonly T[];
}

const RESTART_BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** Lists come in pages: a namespace of 50,000 pods is never one response in memory. */
const LIST_PAGE = 500;
/** client-node informers can stop without a word (kubernetes-client/javascript #596, #2385): with no sign of life for this long, re-list. */
const SILENCE_MS = 5 * 60_000;

interface Watched<T extends KubernetesObject> {
  what: string;
  cache: Cache<T>;
  failedAt?: number;
  attempts: number;
  lastSeen: number;
}

/**
 * Deployments, ReplicaSets and pods of some namespaces, kept by client-node
 * informers. Lists go through the plain JSON reader (client-node's typed
 * lists would hand back class instances with Dates); watches are
 * client-node's. An informer that errors is restarted with back-off, one that
 * falls silent is re-listed; `state()` says whether all are live.
 */
export class KubeWorkloadWatch implements WorkloadWatch {
  private readonly watched: Array<Watched<KubernetesObject>> = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private watchdog?: NodeJS.Timeout;
  private stopped = false;
  private started = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespaces: string[],
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async start(changed: (ref: DeploymentRef) => void): Promise<void> {
    const server = this.kc.getCurrentCluster()!.server;
    const reader = new KubeJsonReader(this.kc, server, 30_000);
    for (const ns of this.namespaces) {
      const resources = [
        ['deployments', `/apis/apps/v1/namespaces/${ns}/deployments`],
        ['replicasets', `/apis/apps/v1/namespaces/${ns}/replicasets`],
        ['pods', `/api/v1/namespaces/${ns}/pods`],
      ] as const;
      for (const [what, path] of resources) {
        const list = () => listPages(reader, path, `${what} in ${ns}`, (o) => watchedObject(what, o));
        const cache = new ListWatch(path, new TrimmingWatch(this.kc, (o) => watchedObject(what, o)), list, false);
        const w: Watched<KubernetesObject> = { what: `${what} in ${ns}`, cache, attempts: 0, lastSeen: this.now() };
        const seen = (obj?: KubernetesObject) => {
          w.lastSeen = this.now();
          w.failedAt = undefined;
          w.attempts = 0;
          const ref = obj && (what === 'deployments' ? { namespace: ns, name: obj.metadata?.name ?? '' } : this.deploymentOf(ns, obj));
          if (ref) changed(ref);
        };
        for (const verb of ['add', 'update', 'delete'] as const) w.cache.on(verb, seen);
        w.cache.on('connect', () => seen());
        w.cache.on('error', (err: unknown) => this.restart(w, err));
        this.watched.push(w);
      }
    }
    await Promise.all(this.watched.map((w) => w.cache.start()));
    this.started = true;
    this.watchdog = setInterval(() => {
      for (const w of this.watched) if (w.failedAt === undefined && this.now() - w.lastSeen > SILENCE_MS) this.restart(w, new Error('no event for too long'));
    }, Math.min(SILENCE_MS, 30_000));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.watchdog);
    for (const t of this.timers) clearTimeout(t);
    await Promise.all(this.watched.map((w) => w.cache.stop()));
  }

  state(): WatchState {
    if (!this.started) return 'starting';
    return this.watched.every((w) => w.failedAt === undefined) ? 'watching' : 're-listing';
  }

  deployments(): DeploymentRef[] {
    return this.namespaces.flatMap((ns) => this.cache<Deployment>('deployments', ns).list(ns).map((d) => ({ namespace: ns, name: d.metadata?.name ?? '' })));
  }

  objects(ref: DeploymentRef): RolloutObjects | undefined {
    const deployment = this.cache<Deployment>('deployments', ref.namespace).get(ref.name, ref.namespace);
    if (!deployment) return undefined;
    const replicaSets = controlledBy([deployment], [...this.cache<ReplicaSet>('replicasets', ref.namespace).list(ref.namespace)]);
    const pods = controlledBy(replicaSets, [...this.cache<Pod>('pods', ref.namespace).list(ref.namespace)]);
    return { deployment, replicaSets, pods, events: [] };
  }

  private cache<T>(what: string, ns: string): View<T> {
    return this.watched.find((w) => w.what === `${what} in ${ns}`)!.cache as unknown as View<T>;
  }

  /** The deployment a ReplicaSet or pod belongs to: its controller, or its ReplicaSet's controller. */
  private deploymentOf(ns: string, obj: KubernetesObject): DeploymentRef | undefined {
    const owner = (o: { metadata?: { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> } }) => o.metadata?.ownerReferences?.find((r) => r.controller);
    let ref = owner(obj as ReplicaSet);
    if (ref?.kind === 'ReplicaSet') ref = owner(this.cache<ReplicaSet>('replicasets', ns).get(ref.name, ns) ?? {});
    return ref?.kind === 'Deployment' ? { namespace: ns, name: ref.name } : undefined;
  }

  private restart(w: Watched<KubernetesObject>, err: unknown): void {
    if (this.stopped) return;
    w.failedAt ??= this.now();
    const delay = RESTART_BACKOFF_MS[Math.min(w.attempts, RESTART_BACKOFF_MS.length - 1)]!;
    w.attempts++;
    this.log.warn({ err, watch: w.what, retryInMs: delay }, 'watch stopped; re-listing');
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      // A fresh start lists again: whatever happened while the watch was down is seen.
      void w.cache.stop().then(() => w.cache.start()).catch((e: unknown) => this.restart(w, e));
    }, delay);
    this.timers.add(timer);
  }
}

/** client-node's watch, handing the informer only what the watcher keeps of each object. */
class TrimmingWatch extends Watch {
  constructor(
    kc: KubeConfig,
    private readonly keep: (obj: KubernetesObject) => KubernetesObject,
  ) {
    super(kc);
  }

  override watch(...[path, query, callback, done]: Parameters<Watch['watch']>): ReturnType<Watch['watch']> {
    return super.watch(path, query, (phase, obj, raw) => callback(phase, phase === 'ERROR' || phase === 'BOOKMARK' ? obj : this.keep(obj), raw), done);
  }
}

/** A whole list, page by page (limit/continue), each item trimmed as it arrives; the list's resourceVersion is the last page's. */
async function listPages(reader: KubeJsonReader, path: string, what: string, keep: (obj: KubernetesObject) => KubernetesObject): Promise<KubernetesListObject<KubernetesObject>> {
  const items: KubernetesObject[] = [];
  let page: KubernetesListObject<KubernetesObject> & { metadata?: { continue?: string } };
  let token: string | undefined;
  do {
    page = await reader.get(path, { limit: String(LIST_PAGE), continue: token }, what);
    for (const item of page.items) items.push(keep(item));
    token = page.metadata?.continue;
  } while (token);
  return { apiVersion: page.apiVersion, kind: page.kind, metadata: { resourceVersion: page.metadata?.resourceVersion }, items };
}
