import type { SimClock } from '../clock.js';
import type { KubeObject } from '../object.js';
import { resourceOfKind } from '../resources.js';
import type { ObjectStore } from '../store.js';

export interface EventSource {
  component: string;
  host?: string;
}

const EVENTS = resourceOfKind('Event');

/**
 * Records core/v1 Events as client-go's recorder does: an identical event
 * (same object, reason, message, source) bumps `count` and `lastTimestamp`
 * instead of creating a new object.
 */
export class EventRecorder {
  private readonly byKey = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: SimClock,
  ) {}

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const namespace = obj.metadata.namespace ?? 'default';
    const key = [obj.metadata.uid, fieldPath ?? '', type, reason, message, source.component, source.host ?? ''].join('\u0000');
    const now = this.clock.timestamp();
    const existingName = this.byKey.get(key);
    const existing = existingName ? this.store.get(EVENTS, namespace, existingName) : undefined;
    if (existing) {
      const next = structuredClone(existing);
      next.count = ((existing.count as number) ?? 1) + 1;
      next.lastTimestamp = now;
      this.store.update(EVENTS, next);
      return;
    }
    const name = `${obj.metadata.name}.${(BigInt(this.clock.nowMs()) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    this.byKey.set(key, name);
    this.store.create(EVENTS, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
  }
}
