/** `kubectl get resourcequotas`: printResourceQuota. */
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import { canonicalQuantity } from './quantity.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const resourceQuotaColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
  column(
    'Limit',
    'string',
    'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
  ),
  ageColumn,
];

/** "used/hard" per status.hard resource, sorted by name; "limits.*" go to LIMIT, the rest to REQUEST. */
export function printResourceQuota(quota: ResourceQuota, now: Date): Cell[] {
  const hard = quota.status?.hard ?? {};
  const used = quota.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const target = resource.startsWith('limits.') ? limits : requests;
    target.push(`${resource}: ${canonicalQuantity(used[resource])}/${canonicalQuantity(hard[resource])}`);
  }
  return [
    quota.metadata?.name ?? '',
    requests.join(', '),
    limits.join(', '),
    translateTimestampSince(quota.metadata?.creationTimestamp, now),
  ];
}
