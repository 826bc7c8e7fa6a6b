/** Column-definition helpers and the ObjectMeta descriptions every printer reuses. */
import type { TableColumnDefinition } from './types.js';

// metav1.ObjectMeta{}.SwaggerDoc() in k8s.io/apimachinery v0.32.
export const OBJECT_META_NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const OBJECT_META_CREATION_TIMESTAMP_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function column(
  name: string,
  type: string,
  description: string,
  options: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** A priority-1 string column: shown only by `kubectl get -o wide`. */
export function wideColumn(name: string, description: string): TableColumnDefinition {
  return column(name, 'string', description, { priority: 1 });
}

export const nameColumn = column('Name', 'string', OBJECT_META_NAME_DOC, { format: 'name' });
export const ageColumn = column('Age', 'string', OBJECT_META_CREATION_TIMESTAMP_DOC);
