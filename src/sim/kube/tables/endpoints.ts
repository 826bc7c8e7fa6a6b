/** `kubectl get endpoints`: printEndpoints. */
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const endpointsColumns: TableColumnDefinition[] = [
  nameColumn,
  column(
    'Endpoints',
    'string',
    'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.',
  ),
  ageColumn,
];

const MAX_SHOWN = 3;

/** net.JoinHostPort: IPv6 hosts get brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatEndpoints: ready "ip:port" pairs (bare IPs for port-less subsets), at most three shown. */
function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    // Headless services may have no ports at all.
    const ports = subset.ports?.length ? subset.ports.map((p) => p.port) : [undefined];
    for (const port of ports) {
      count += addresses.length;
      for (const address of addresses) {
        if (shown.length === MAX_SHOWN) break;
        shown.push(port === undefined ? address.ip : joinHostPort(address.ip, port));
      }
    }
  }
  const list = shown.join(',');
  return count > MAX_SHOWN ? `${list} + ${count - MAX_SHOWN} more...` : list;
}

export function printEndpoints(endpoints: Endpoints, now: Date): Cell[] {
  return [
    endpoints.metadata?.name ?? '',
    formatEndpoints(endpoints),
    translateTimestampSince(endpoints.metadata?.creationTimestamp, now),
  ];
}
