import type { ConfigRef } from '../snapshot.js';
import type { InputObject } from './manifests.js';

/**
 * The input's own objects, as if applied alongside the Deployment: a
 * ConfigMap a kustomize build generates exists although the cluster has
 * not seen it yet, and a Service in the input replaces the live one.
 */
export function inputObjects<T>(objects: InputObject[], kind: string, namespace: string): T[] {
  return objects.filter((o) => o.object.kind === kind && o.object.metadata.namespace === namespace).map((o) => o.object as unknown as T);
}

/** Live objects with the input's replacing those of the same name. */
export function overlayByName<T extends { metadata?: { name?: string } }>(live: T[], input: T[]): T[] {
  const names = new Set(input.map((o) => o.metadata?.name));
  return [...live.filter((o) => !names.has(o.metadata?.name)), ...input];
}

/** A Secret's or ConfigMap's existence and key names, never its values. */
export function configRefOf(kind: 'Secret' | 'ConfigMap', name: string, obj: { data?: object; binaryData?: object; stringData?: object } | undefined): ConfigRef {
  if (!obj) return { kind, name, exists: false, keys: [] };
  const keys = [...Object.keys(obj.data ?? {}), ...Object.keys(obj.binaryData ?? {}), ...Object.keys(obj.stringData ?? {})];
  return { kind, name, exists: true, keys: [...new Set(keys)].sort() };
}
