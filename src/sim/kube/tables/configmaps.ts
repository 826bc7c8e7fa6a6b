/** `kubectl get configmaps`: printConfigMap. */
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const configMapColumns: TableColumnDefinition[] = [
  nameColumn,
  column(
    'Data',
    'string',
    "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
  ),
  ageColumn,
];

export function printConfigMap(configMap: ConfigMap, now: Date): Cell[] {
  const keys = Object.keys(configMap.data ?? {}).length + Object.keys(configMap.binaryData ?? {}).length;
  return [configMap.metadata?.name ?? '', keys, translateTimestampSince(configMap.metadata?.creationTimestamp, now)];
}
