/** `kubectl get namespaces`: printNamespace. */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const namespaceColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Status', 'string', 'The status of the namespace'),
  ageColumn,
];

export function printNamespace(namespace: Namespace, now: Date): Cell[] {
  return [
    namespace.metadata?.name ?? '',
    namespace.status?.phase ?? '',
    translateTimestampSince(namespace.metadata?.creationTimestamp, now),
  ];
}
