/** `kubectl get leases`: printLease. */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const leaseColumns: TableColumnDefinition[] = [
  nameColumn,
  column(
    'Holder',
    'string',
    'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.',
  ),
  ageColumn,
];

export function printLease(lease: Lease, now: Date): Cell[] {
  return [
    lease.metadata?.name ?? '',
    lease.spec?.holderIdentity ?? '',
    translateTimestampSince(lease.metadata?.creationTimestamp, now),
  ];
}
