/**
 * The apiserver's default table (rest.NewDefaultTableConvertor) for resources
 * without a printer: NAME and CREATED AT, the latter an RFC3339 timestamp,
 * not an age (e.g. what `kubectl get clusterroles` shows).
 */
import { column, nameColumn, OBJECT_META_CREATION_TIMESTAMP_DOC } from './columns.js';
import { formatRFC3339, parseTime } from '../../../domain/kubectl/timestamp.js';
import type { Cell, KubeObject, TableColumnDefinition } from './types.js';

export const defaultColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Created At', 'date', OBJECT_META_CREATION_TIMESTAMP_DOC),
];

export function printDefault(obj: KubeObject): Cell[] {
  return [obj.metadata?.name ?? '', formatRFC3339(parseTime(obj.metadata?.creationTimestamp))];
}
