import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { printResourceQuota } from './resourcequotas.js';

const now = new Date('2024-05-01T12:00:00Z');

describe('printResourceQuota', () => {
  it('splits used/hard into REQUEST and LIMIT, sorted by resource name', () => {
    const quota: ResourceQuota = {
      metadata: { name: 'shop-quota', namespace: 'shop', creationTimestamp: '2024-04-01T00:00:00Z' },
      spec: { hard: { 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '4', 'limits.memory': '8Gi', pods: '20' } },
      status: {
        hard: { 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '4', 'limits.memory': '8Gi', pods: '20' },
        used: { 'requests.cpu': '500m', 'requests.memory': '1024Mi', 'limits.cpu': '1', 'limits.memory': '2Gi', pods: '3' },
      },
    };
    expect(printResourceQuota(quota, now)).toEqual([
      'shop-quota',
      'pods: 3/20, requests.cpu: 500m/2, requests.memory: 1Gi/4Gi',
      'limits.cpu: 1/4, limits.memory: 2Gi/8Gi',
      '30d',
    ]);
  });

  it('shows 0 for unreported usage and empty cells before the controller fills status', () => {
    const fresh: ResourceQuota = { metadata: { name: 'q' }, spec: { hard: { pods: '10' } } };
    expect(printResourceQuota(fresh, now)).toEqual(['q', '', '', '<unknown>']);
    const partly: ResourceQuota = { metadata: { name: 'q' }, status: { hard: { 'limits.memory': '1Gi' } } };
    expect(printResourceQuota(partly, now).slice(1, 3)).toEqual(['', 'limits.memory: 0/1Gi']);
  });
});
