import type { Logger } from 'pino';
import type { SimClock } from '../clock.js';
import type { KubeObject, Mutable } from '../object.js';
import type { ObjectStore } from '../store.js';
import type { EventRecorder } from './events.js';
import type { ControllerRuntime } from './runtime.js';

/** What every simulated controller is given. */
export interface ControllerContext {
  store: ObjectStore;
  clock: SimClock;
  events: EventRecorder;
  runtime: ControllerRuntime;
  log?: Logger;
}

/** Views a stored object as its typed Kubernetes shape (read-only by convention: stored objects are frozen). */
export const as = <T>(obj: KubeObject): T => obj as unknown as T;

/** A mutable copy of a typed object, to build the next version from. */
export const copy = <T>(obj: T): Mutable<T> => structuredClone(obj);

export const toKube = <T>(obj: T): KubeObject => obj as unknown as KubeObject;

export function isControlledBy(obj: KubeObject, ownerUid: string | undefined): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === ownerUid);
}

export function controllerOf(obj: KubeObject): { kind: string; name: string; uid: string } | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
}
