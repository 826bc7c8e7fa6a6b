import type { Service } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { printService } from './services.js';

const now = new Date('2024-05-01T12:00:00Z');

const service = (spec: Service['spec'], status?: Service['status']): Service => ({
  metadata: { name: 'checkout', namespace: 'shop', creationTimestamp: '2024-04-30T09:00:00Z' },
  spec,
  status,
});

describe('printService', () => {
  it('prints a ClusterIP service with its selector in the wide cell', () => {
    const svc = service({
      type: 'ClusterIP',
      clusterIP: '10.96.14.201',
      clusterIPs: ['10.96.14.201'],
      selector: { app: 'checkout', tier: 'backend' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'grpc', port: 9090, protocol: 'TCP' },
      ],
    });
    expect(printService(svc, now)).toEqual([
      'checkout',
      'ClusterIP',
      '10.96.14.201',
      '<none>',
      '80/TCP,9090/TCP',
      '27h',
      'app=checkout,tier=backend',
    ]);
  });

  it('shows node ports and external IPs', () => {
    const svc = service({
      type: 'NodePort',
      clusterIPs: ['10.96.0.40'],
      externalIPs: ['198.51.100.10'],
      ports: [
        { port: 80, nodePort: 30080, protocol: 'TCP' },
        { port: 53, nodePort: 30053, protocol: 'UDP' },
      ],
    });
    expect(printService(svc, now).slice(1, 5)).toEqual(['NodePort', '10.96.0.40', '198.51.100.10', '80:30080/TCP,53:30053/UDP']);
  });

  it('shows <pending> until a load balancer is provisioned, then its sorted addresses', () => {
    const spec: Service['spec'] = { type: 'LoadBalancer', clusterIPs: ['10.96.3.3'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
    expect(printService(service(spec), now)[3]).toBe('<pending>');
    const provisioned = service(spec, {
      loadBalancer: { ingress: [{ ip: '203.0.113.20' }, { hostname: 'a1b2.elb.example.com' }, { ip: '203.0.113.20' }] },
    });
    expect(printService(provisioned, now)[3]).toBe('203.0.113.20,a1b2.elb.example.com');
    const withExternal = service({ ...spec, externalIPs: ['198.51.100.1'] }, provisioned.status);
    expect(printService(withExternal, now)[3]).toBe('203.0.113.20,a1b2.elb.example.com,198.51.100.1');
  });

  it('prints ExternalName and headless services', () => {
    const external = service({ type: 'ExternalName', externalName: 'db.example.com' });
    expect(printService(external, now).slice(1, 5)).toEqual(['ExternalName', '<none>', 'db.example.com', '<none>']);
    const headless = service({ type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(printService(headless, now).slice(1, 5)).toEqual(['ClusterIP', 'None', '<none>', '5432/TCP']);
    expect(printService(headless, now)[6]).toBe('<none>');
  });
});
