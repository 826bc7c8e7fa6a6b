import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { printReplicaSet, replicaSetColumns } from './replicasets.js';

const now = new Date('2024-05-01T12:00:00Z');

const replicaSet = (selector: NonNullable<ReplicaSet['spec']>['selector']): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'checkout-6b9f7c8d5', namespace: 'shop', creationTimestamp: '2024-05-01T11:57:30Z' },
  spec: {
    replicas: 2,
    selector,
    template: { spec: { containers: [{ name: 'checkout', image: 'registry.example.com/shop/checkout:1.5.0' }] } },
  },
  status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 },
});

describe('printReplicaSet', () => {
  it('shows DESIRED CURRENT READY as integers', () => {
    const rs = replicaSet({ matchLabels: { app: 'checkout', 'pod-template-hash': '6b9f7c8d5' } });
    expect(printReplicaSet(rs, now)).toEqual([
      'checkout-6b9f7c8d5',
      2,
      2,
      1,
      '2m30s',
      'checkout',
      'registry.example.com/shop/checkout:1.5.0',
      'app=checkout,pod-template-hash=6b9f7c8d5',
    ]);
  });

  it('prints "<error>" for an unbuildable selector and "<none>" for an empty one', () => {
    expect(printReplicaSet(replicaSet({ matchExpressions: [{ key: 'app', operator: 'Near' }] }), now)[7]).toBe('<error>');
    expect(printReplicaSet(replicaSet({}), now)[7]).toBe('<none>');
  });

  it('has integer count columns', () => {
    expect(replicaSetColumns.slice(1, 4).map((c) => [c.name, c.type])).toEqual([
      ['Desired', 'integer'],
      ['Current', 'integer'],
      ['Ready', 'integer'],
    ]);
  });
});
