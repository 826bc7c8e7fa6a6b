/** `kubectl get secrets`: printSecret. */
import type { Secret } from 'kubernetes-types/core/v1.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const secretColumns: TableColumnDefinition[] = [
  nameColumn,
  column(
    'Type',
    'string',
    'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types',
  ),
  column(
    'Data',
    'string',
    "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
  ),
  ageColumn,
];

export function printSecret(secret: Secret, now: Date): Cell[] {
  // The apiserver folds stringData into data when it decodes a v1 Secret.
  const keys = new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  return [
    secret.metadata?.name ?? '',
    secret.type ?? '',
    keys.size,
    translateTimestampSince(secret.metadata?.creationTimestamp, now),
  ];
}
