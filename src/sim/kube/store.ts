import type { SimClock } from './clock.js';
import { jsonEqual } from '../../domain/json.js';
import { goRoundTrip, goTypeOf } from './api/go-json.js';
import { deepFreeze, objectKey, pruneNulls, thaw, type KubeObject } from './object.js';
import type { SeededRandom } from './random.js';
import { apiVersionOf, qualifiedName, resourceOfKind, RESOURCES, type ResourceType } from './resources.js';
import { matchesFields, type FieldRequirement } from './field-selectors.js';
import { matchesLabels, type LabelSelector } from './selectors.js';
import { StatusError } from './status-error.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  resource: ResourceType;
  object: KubeObject;
  /** The object before this change (MODIFIED, DELETED), for selector transitions. */
  prev?: KubeObject;
  rv: number;
}

export interface Query {
  namespace?: string;
  labels?: LabelSelector;
  fields?: FieldRequirement[];
}

export type Operation = 'create' | 'update' | 'delete';

/**
 * Admission runs on every write, in order: defaulting mutates, validation and
 * quota throw a StatusError. `old` is the stored object on update.
 */
export type AdmissionHook = (obj: KubeObject, ctx: { op: Operation; resource: ResourceType; subresource?: string; old?: KubeObject; store: ObjectStore; dryRun?: boolean }) => void;

export interface WriteOptions {
  dryRun?: boolean;
  subresource?: 'status';
}

const HISTORY_LIMIT = 20_000;

/**
 * The simulated etcd + registry layer: objects by resource, one global
 * resourceVersion counter, a bounded per-resource event history for watches,
 * and synchronous change notifications for the in-process controllers.
 */
export class ObjectStore {
  private rv = 1;
  private readonly objects = new Map<ResourceType, Map<string, KubeObject>>();
  private readonly history = new Map<ResourceType, StoreEvent[]>();
  /** Per resource: the newest resourceVersion no longer in the history (watches from before it get 410). */
  private readonly compactedRv = new Map<ResourceType, number>();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly openWatches = new Set<() => void>();
  private readonly admission: AdmissionHook[] = [];

  constructor(
    readonly clock: SimClock,
    readonly random: SeededRandom,
    private readonly historyLimit = HISTORY_LIMIT,
  ) {
    for (const r of RESOURCES) {
      this.objects.set(r, new Map());
      this.history.set(r, []);
      this.compactedRv.set(r, 0);
    }
  }

  get resourceVersion(): number {
    return this.rv;
  }

  addAdmission(hook: AdmissionHook): void {
    this.admission.push(hook);
  }

  /** A live watch stream and how to end it; the returned function forgets it. */
  trackWatch(end: () => void): () => void {
    this.openWatches.add(end);
    return () => this.openWatches.delete(end);
  }

  /** Ends every open watch stream, as an apiserver restart does; how many there were. */
  endWatches(): number {
    const ends = [...this.openWatches];
    this.openWatches.clear();
    for (const end of ends) end();
    return ends.length;
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)!.get(objectKey(resource.namespaced ? namespace : undefined, name));
  }

  mustGet(resource: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.get(resource, namespace, name);
    if (!obj) throw notFound(resource, name);
    return obj;
  }

  /** Objects in key order (namespace/name), as etcd returns them. */
  list(resource: ResourceType, q: Query = {}): KubeObject[] {
    const out: KubeObject[] = [];
    for (const obj of this.objects.get(resource)!.values()) if (this.matches(resource, obj, q)) out.push(obj);
    return out.sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  }

  matches(resource: ResourceType, obj: KubeObject, q: Query): boolean {
    if (resource.namespaced && q.namespace && obj.metadata.namespace !== q.namespace) return false;
    if (q.labels?.length && !matchesLabels(q.labels, obj.metadata.labels)) return false;
    if (q.fields?.length && !matchesFields(q.fields, obj)) return false;
    return true;
  }

  create(resource: ResourceType, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    // PrepareForCreate resets the status of kinds that have a status subresource: a zero status struct
    // (`status: {}`, or `{replicas: 0}` for a ReplicaSet), whatever the client sent.
    const resetStatus = resource.subresources.includes('status') && resource.kind !== 'Node';
    const obj = decode(resource, resetStatus ? { ...input, status: undefined } : input);
    obj.apiVersion = apiVersionOf(resource);
    obj.kind = resource.kind;
    const meta = obj.metadata;
    if (!resource.namespaced) delete meta.namespace;
    else if (!meta.namespace) throw new StatusError(400, 'BadRequest', 'the server could not find the requested resource: a namespace is required');
    if (resource.namespaced && !this.get(resourceOfKind('Namespace'), undefined, meta.namespace!)) {
      throw new StatusError(404, 'NotFound', `namespaces "${meta.namespace}" not found`, { name: meta.namespace, kind: 'namespaces' });
    }
    if (!meta.name && meta.generateName) meta.name = meta.generateName + this.random.suffix();
    if (!meta.name) {
      // errors.NewInvalid names the group-qualified kind: `Deployment.apps "" is invalid`.
      throw new StatusError(422, 'Invalid', `${resource.kind}${resource.group ? `.${resource.group}` : ''} "" is invalid: metadata.name: Required value: name or generateName is required`, {
        name: '',
        group: resource.group || undefined,
        kind: resource.kind,
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
      });
    }
    if (this.get(resource, meta.namespace, meta.name)) {
      throw new StatusError(409, 'AlreadyExists', `${qualifiedName(resource)} "${meta.name}" already exists`, {
        name: meta.name,
        group: resource.group || undefined, // omitempty: no "group" for the core group
        kind: resource.plural,
      });
    }
    meta.uid = this.random.uuid();
    meta.creationTimestamp = this.clock.timestamp();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    if (resource.generation) meta.generation = 1;
    for (const hook of this.admission) hook(obj, { op: 'create', resource, store: this, dryRun: opts.dryRun });
    if (opts.dryRun) return deepFreeze(obj);
    return this.commit('ADDED', resource, obj);
  }

  update(resource: ResourceType, input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const name = input.metadata?.name ?? '';
    const old = this.mustGet(resource, input.metadata?.namespace, name);
    const requested = input.metadata.resourceVersion;
    if (requested && requested !== old.metadata.resourceVersion) throw conflict(resource, name);
    const obj = decode(resource, input);
    obj.apiVersion = old.apiVersion;
    obj.kind = old.kind;
    const meta = obj.metadata;
    // Identity and system fields are the server's, whatever the client sent.
    meta.uid = old.metadata.uid;
    meta.creationTimestamp = old.metadata.creationTimestamp;
    meta.namespace = old.metadata.namespace;
    if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
    else delete meta.generation;
    if (opts.subresource === 'status') {
      // Status strategies reset spec and labels; annotations pass (the deployment controller writes its revision this way).
      const next = thaw(old);
      next.status = obj.status;
      next.metadata.annotations = meta.annotations;
      return this.finishUpdate(resource, next, old, opts);
    }
    if (resource.subresources.includes('status')) obj.status = thaw(old.status);
    if (resource.generation && (!jsonEqual(obj.spec, old.spec) || (resource.kind === 'Deployment' && !sameMap(meta.annotations, old.metadata.annotations)))) {
      // deploymentStrategy.PrepareForUpdate: annotation changes bump the generation too, "because
      // annotations are copied from deployments to their replica sets"; other kinds bump on spec only.
      meta.generation = (old.metadata.generation ?? 0) + 1;
    }
    return this.finishUpdate(resource, obj, old, opts);
  }

  private finishUpdate(resource: ResourceType, obj: KubeObject, old: KubeObject, opts: WriteOptions): KubeObject {
    for (const hook of this.admission) hook(obj, { op: 'update', resource, subresource: opts.subresource, old, store: this, dryRun: opts.dryRun });
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    // A write that changes nothing is not a write: no new resourceVersion, no event.
    if (jsonEqual(obj, old)) return old;
    if (opts.dryRun) return deepFreeze(obj);
    return this.commit('MODIFIED', resource, obj, old);
  }

  delete(
    resource: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: { dryRun?: boolean; propagationPolicy?: string; preconditionUid?: string; preconditionResourceVersion?: string } = {},
  ): KubeObject {
    const old = this.mustGet(resource, namespace, name);
    // storage.Preconditions.Check; the registry reports its failure as a Conflict.
    if (opts.preconditionUid && opts.preconditionUid !== old.metadata.uid) {
      throw conflict(resource, name, `Precondition failed: UID in precondition: ${opts.preconditionUid}, UID in object meta: ${old.metadata.uid}`);
    }
    if (opts.preconditionResourceVersion && opts.preconditionResourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${opts.preconditionResourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    }
    if (resource.kind === 'Namespace') return this.deleteNamespace(old, opts.dryRun);
    if (opts.dryRun) return old;
    this.objects.get(resource)!.delete(keyOf(old));
    const obj = thaw(old);
    const deleted = this.record('DELETED', resource, obj, old);
    this.collectDependents(old.metadata.uid!, opts.propagationPolicy === 'Orphan');
    return deleted;
  }

  /**
   * A namespace goes Terminating (deletionTimestamp set, the "kubernetes"
   * finalizer holding it), which is what DELETE answers with; the namespace
   * controller then empties it, drops the finalizer and it is gone. Here the
   * controller's part happens at once, so watchers see the same sequence.
   */
  private deleteNamespace(old: KubeObject, dryRun?: boolean): KubeObject {
    const terminating = thaw(old);
    terminating.metadata.deletionTimestamp ??= this.clock.timestamp();
    terminating.status = { ...(terminating.status as object), phase: 'Terminating' };
    if (dryRun) return deepFreeze(terminating);
    const answer = this.commit('MODIFIED', resourceOfKind('Namespace'), terminating, old);
    this.deleteNamespaceContents(old.metadata.name!);
    const finalized = thaw(answer);
    delete (finalized.spec as { finalizers?: string[] } | undefined)?.finalizers;
    this.objects.get(resourceOfKind('Namespace'))!.delete(keyOf(answer));
    this.record('DELETED', resourceOfKind('Namespace'), finalized, answer);
    return answer;
  }

  /** What the garbage collector does for the owner's dependents, done at once. */
  private collectDependents(ownerUid: string, orphan: boolean): void {
    for (const [resource, objects] of this.objects) {
      for (const obj of [...objects.values()]) {
        const refs = obj.metadata.ownerReferences ?? [];
        if (!refs.some((r) => r.uid === ownerUid)) continue;
        if (orphan) {
          const next = thaw(obj);
          next.metadata.ownerReferences = refs.filter((r) => r.uid !== ownerUid);
          // An emptied list is omitted (omitempty), as after the GC's orphaning patch.
          if (!next.metadata.ownerReferences.length) delete next.metadata.ownerReferences;
          this.commit('MODIFIED', resource, next, obj);
        } else if (this.get(resource, obj.metadata.namespace, obj.metadata.name!)) {
          this.delete(resource, obj.metadata.namespace, obj.metadata.name!);
        }
      }
    }
  }

  private deleteNamespaceContents(namespace: string): void {
    for (const [resource, objects] of this.objects) {
      if (!resource.namespaced) continue;
      for (const obj of [...objects.values()]) {
        if (obj.metadata.namespace === namespace) this.delete(resource, namespace, obj.metadata.name!);
      }
    }
  }

  private commit(type: EventType, resource: ResourceType, obj: KubeObject, prev?: KubeObject): KubeObject {
    this.objects.get(resource)!.set(keyOf(obj), obj);
    return this.record(type, resource, obj, prev);
  }

  private record(type: EventType, resource: ResourceType, obj: KubeObject, prev?: KubeObject): KubeObject {
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    deepFreeze(obj);
    if (type !== 'DELETED') this.objects.get(resource)!.set(keyOf(obj), obj);
    const event: StoreEvent = { type, resource, object: obj, prev, rv };
    const hist = this.history.get(resource)!;
    hist.push(event);
    if (hist.length > this.historyLimit) {
      const dropped = hist.splice(0, hist.length - this.historyLimit);
      this.compactedRv.set(resource, dropped[dropped.length - 1]!.rv);
    }
    for (const l of this.listeners) l(event);
    return obj;
  }

  /**
   * Events after `fromRv` for a watch. Throws 410 Expired when the history no
   * longer reaches back that far, as the apiserver's watch cache does.
   */
  eventsSince(resource: ResourceType, fromRv: number): StoreEvent[] {
    const compacted = this.compactedRv.get(resource)!;
    if (fromRv < compacted) {
      // The watch cache's words: "too old resource version: %d (%d)", requested and oldest-1.
      throw new StatusError(410, 'Expired', `too old resource version: ${fromRv} (${compacted})`);
    }
    const hist = this.history.get(resource)!;
    let lo = 0;
    let hi = hist.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hist[mid]!.rv <= fromRv) lo = mid + 1;
      else hi = mid;
    }
    return hist.slice(lo);
  }

  /** Drops history older than `rv` (for tests of 410 Gone), as etcd compaction does. */
  compact(rv: number): void {
    const upTo = Math.min(rv, this.rv);
    for (const [resource, hist] of this.history) {
      const i = hist.findIndex((e) => e.rv > upTo);
      if (i < 0) hist.splice(0);
      else hist.splice(0, i);
      // Every resource's window now starts after `upTo`: watching from anything older is a 410.
      this.compactedRv.set(resource, Math.max(this.compactedRv.get(resource)!, upTo));
    }
  }
}

const keyOf = (o: KubeObject): string => objectKey(o.metadata.namespace, o.metadata.name!);

/**
 * The object as the apiserver holds it after decoding into its Go type: unknown
 * fields gone, omitempty zeros dropped, structs present, zero Times null.
 */
function decode(resource: ResourceType, input: KubeObject): KubeObject {
  const type = goTypeOf(apiVersionOf(resource), resource.kind);
  if (!type) return pruneNulls(input);
  const { object } = goRoundTrip(type, input as unknown as Record<string, unknown>);
  object.metadata ??= {};
  return object as unknown as KubeObject;
}

/** Semantic.DeepEqual of two string maps: nil and empty are the same. */
const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean => jsonEqual(a ?? {}, b ?? {});

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function notFound(resource: ResourceType, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedName(resource)} "${name}" not found`, {
    name,
    group: resource.group || undefined,
    kind: resource.plural,
  });
}

export function conflict(
  resource: ResourceType,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedName(resource)} "${name}": ${why}`,
    { name, group: resource.group || undefined, kind: resource.plural },
  );
}
