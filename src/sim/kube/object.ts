import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

/** Any object the simulator stores; the stored copies are deep-frozen. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: Mutable<ObjectMeta>;
  [key: string]: unknown;
}

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A mutable deep copy of a stored (frozen) object, typed as the caller's kind. */
export function thaw<T>(obj: T): T {
  return structuredClone(obj) as T;
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export const objectKey = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);

/**
 * Drops null members, as decoding into the apiserver's typed structs does
 * ("creationTimestamp": null in a client's template means "unset").
 */
export function pruneNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(pruneNulls) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = pruneNulls(v);
    return out as T;
  }
  return value;
}
