import type { Event } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { eventColumns, printEvent } from './events.js';

const now = new Date('2024-05-01T12:00:00Z');

/** The kubelet's BackOff event, aggregated five times. */
const backOff: Event = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-7d4b9c6f5d-x2x9k.17cb2f5e1a0c3b7d', namespace: 'shop', creationTimestamp: '2024-05-01T11:50:00Z' },
  involvedObject: {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: 'shop',
    name: 'web-7d4b9c6f5d-x2x9k',
    uid: '3f1c9a52-8d1e-4d6b-9a57-0c2f7f6d2b11',
    fieldPath: 'spec.containers{web}',
  },
  reason: 'BackOff',
  message: 'Back-off restarting failed container web in pod web-7d4b9c6f5d-x2x9k_shop(3f1c9a52-8d1e-4d6b-9a57-0c2f7f6d2b11)\n',
  source: { component: 'kubelet', host: 'worker-1' },
  firstTimestamp: '2024-05-01T11:50:00Z',
  lastTimestamp: '2024-05-01T11:58:30Z',
  count: 5,
  type: 'Warning',
  eventTime: undefined,
  reportingComponent: 'kubelet',
  reportingInstance: 'worker-1',
};

describe('printEvent', () => {
  it('prints an aggregated Warning with a plain LAST SEEN age and its count in the wide cells', () => {
    expect(printEvent(backOff, now)).toEqual([
      '90s',
      'Warning',
      'BackOff',
      'pod/web-7d4b9c6f5d-x2x9k',
      'spec.containers{web}',
      'kubelet, worker-1',
      'Back-off restarting failed container web in pod web-7d4b9c6f5d-x2x9k_shop(3f1c9a52-8d1e-4d6b-9a57-0c2f7f6d2b11)',
      '10m',
      5,
      'web-7d4b9c6f5d-x2x9k.17cb2f5e1a0c3b7d',
    ]);
  });

  it('uses eventTime, the series and the reporting controller for events.k8s.io events', () => {
    const scheduling: Event = {
      metadata: { name: 'web-7d4b9c6f5d-zz9fp.17cb2f60aa01c2e4', namespace: 'shop' },
      involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-7d4b9c6f5d-zz9fp' },
      reason: 'FailedScheduling',
      message: '0/3 nodes are available: 3 Insufficient memory.',
      type: 'Warning',
      eventTime: '2024-05-01T11:54:59.512345Z',
      series: { count: 3, lastObservedTime: '2024-05-01T11:59:15.250000Z' },
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-control-plane',
      source: {},
    };
    const cells = printEvent(scheduling, now);
    expect(cells[0]).toBe('44s');
    expect(cells.slice(5)).toEqual([
      'default-scheduler, default-scheduler-control-plane',
      '0/3 nodes are available: 3 Insufficient memory.',
      '5m',
      3,
      'web-7d4b9c6f5d-zz9fp.17cb2f60aa01c2e4',
    ]);
  });

  it('counts a singleton as 1 and falls back to FIRST SEEN for LAST SEEN', () => {
    const scaled: Event = {
      metadata: { name: 'checkout.17cb2f4d9e6a1f02', namespace: 'shop' },
      involvedObject: { kind: 'Deployment', name: 'checkout' },
      reason: 'ScalingReplicaSet',
      message: 'Scaled up replica set checkout-6b9f7c8d5 to 1',
      type: 'Normal',
      firstTimestamp: '2024-05-01T11:57:30Z',
      source: { component: 'deployment-controller' },
    };
    const cells = printEvent(scaled, now);
    expect(cells.slice(0, 6)).toEqual(['2m30s', 'Normal', 'ScalingReplicaSet', 'deployment/checkout', '', 'deployment-controller']);
    expect(cells[8]).toBe(1);
  });

  it('names just the kind when the involved object has no name', () => {
    const cells = printEvent({ metadata: {}, involvedObject: { kind: 'Node' } }, now);
    expect(cells.slice(0, 4)).toEqual(['<unknown>', '', '', 'node']);
  });
});

describe('eventColumns', () => {
  it('keeps the apiserver order, with SUBOBJECT SOURCE FIRST SEEN COUNT NAME only in -o wide', () => {
    expect(eventColumns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Last Seen:0',
      'Type:0',
      'Reason:0',
      'Object:0',
      'Subobject:1',
      'Source:1',
      'Message:0',
      'First Seen:1',
      'Count:1',
      'Name:1',
    ]);
    expect(eventColumns[9]?.format).toBe('name');
  });
});
