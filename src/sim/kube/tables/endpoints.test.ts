import type { Endpoints } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { printEndpoints } from './endpoints.js';

const now = new Date('2024-05-01T12:00:00Z');

const endpoints = (subsets: Endpoints['subsets']): Endpoints => ({
  metadata: { name: 'checkout', namespace: 'shop', creationTimestamp: '2024-05-01T11:00:00Z' },
  subsets,
});
const ips = (...list: string[]) => list.map((ip) => ({ ip }));

describe('printEndpoints', () => {
  it('lists ready ip:port pairs', () => {
    const ep = endpoints([{ addresses: ips('10.244.1.5', '10.244.2.9'), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }]);
    expect(printEndpoints(ep, now)).toEqual(['checkout', '10.244.1.5:8080,10.244.2.9:8080', '60m']);
  });

  it('truncates after three with "+ N more..."', () => {
    const ep = endpoints([
      {
        addresses: ips('10.244.1.5', '10.244.1.6', '10.244.2.3', '10.244.2.4', '10.244.3.8'),
        notReadyAddresses: ips('10.244.3.9'),
        ports: [{ port: 8080 }],
      },
    ]);
    expect(printEndpoints(ep, now)[1]).toBe('10.244.1.5:8080,10.244.1.6:8080,10.244.2.3:8080 + 2 more...');
  });

  it('counts every address per port across subsets', () => {
    const ep = endpoints([
      { addresses: ips('10.244.1.5', '10.244.1.6'), ports: [{ port: 80 }, { port: 443 }] },
      { addresses: ips('fd00::12'), ports: [{ port: 80 }] },
    ]);
    expect(printEndpoints(ep, now)[1]).toBe('10.244.1.5:80,10.244.1.6:80,10.244.1.5:443 + 2 more...');
  });

  it('brackets IPv6 hosts and shows bare IPs for port-less subsets', () => {
    expect(printEndpoints(endpoints([{ addresses: ips('fd00::12'), ports: [{ port: 80 }] }]), now)[1]).toBe('[fd00::12]:80');
    expect(printEndpoints(endpoints([{ addresses: ips('10.244.1.5', '10.244.1.6') }]), now)[1]).toBe('10.244.1.5,10.244.1.6');
  });

  it('is "<none>" without subsets and empty when no address is ready', () => {
    expect(printEndpoints(endpoints(undefined), now)[1]).toBe('<none>');
    expect(printEndpoints(endpoints([{ notReadyAddresses: ips('10.244.1.5'), ports: [{ port: 80 }] }]), now)[1]).toBe('');
  });
});
