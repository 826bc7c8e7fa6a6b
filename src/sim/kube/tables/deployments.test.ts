import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { deploymentColumns, printDeployment } from './deployments.js';

const now = new Date('2024-05-01T12:00:00Z');

/** checkout, three replicas, halfway through rolling from 1.4.0 to 1.5.0. */
const midRollout: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'checkout', namespace: 'shop', generation: 7, creationTimestamp: '2024-03-17T08:00:00Z' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { tier: 'backend', app: 'checkout' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'checkout', tier: 'backend' } },
      spec: {
        containers: [
          { name: 'checkout', image: 'registry.example.com/shop/checkout:1.5.0' },
          { name: 'envoy', image: 'envoyproxy/envoy:v1.29.1' },
        ],
      },
    },
  },
  status: {
    observedGeneration: 7,
    replicas: 4,
    updatedReplicas: 1,
    readyReplicas: 2,
    availableReplicas: 2,
    unavailableReplicas: 2,
    conditions: [
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ],
  },
};

describe('printDeployment', () => {
  it('shows READY as ready/desired and the rollout counters as integers', () => {
    expect(printDeployment(midRollout, now)).toEqual([
      'checkout',
      '2/3',
      1,
      2,
      '45d',
      'checkout,envoy',
      'registry.example.com/shop/checkout:1.5.0,envoyproxy/envoy:v1.29.1',
      'app=checkout,tier=backend',
    ]);
  });

  it('reads zero for a deployment whose controller has not reported yet', () => {
    const fresh: Deployment = { ...midRollout, status: undefined };
    expect(printDeployment(fresh, now).slice(1, 4)).toEqual(['0/3', 0, 0]);
  });

  it('prints "<invalid>" for a selector that cannot be built', () => {
    const broken: Deployment = {
      ...midRollout,
      spec: { ...midRollout.spec!, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } },
    };
    expect(printDeployment(broken, now)[7]).toBe('<invalid>');
  });
});

describe('deploymentColumns', () => {
  it('lists NAME READY UP-TO-DATE AVAILABLE AGE, then the wide ones', () => {
    expect(deploymentColumns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0',
      'Ready:string:0',
      'Up-to-date:string:0',
      'Available:string:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
  });
});
