import type { Node } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { printNode } from './nodes.js';

const now = new Date('2024-05-01T12:00:00Z');

const nodeInfo = {
  architecture: 'amd64',
  bootID: 'b1',
  machineID: 'm1',
  systemUUID: 's1',
  operatingSystem: 'linux',
  kubeProxyVersion: 'v1.32.4',
  kubeletVersion: 'v1.32.4',
  osImage: 'Ubuntu 22.04.4 LTS',
  kernelVersion: '5.15.0-105-generic',
  containerRuntimeVersion: 'containerd://1.7.13',
};

describe('printNode', () => {
  it('prints a ready control-plane node with sorted roles and its wide cells', () => {
    const node: Node = {
      metadata: {
        name: 'cp-1',
        creationTimestamp: '2024-01-15T09:00:00Z',
        labels: {
          'node-role.kubernetes.io/control-plane': '',
          'kubernetes.io/role': 'master',
          'node-role.kubernetes.io/': 'ignored',
          'kubernetes.io/hostname': 'cp-1',
        },
      },
      status: {
        conditions: [
          { type: 'MemoryPressure', status: 'False' },
          { type: 'Ready', status: 'True', reason: 'KubeletReady' },
        ],
        addresses: [
          { type: 'Hostname', address: 'cp-1' },
          { type: 'InternalIP', address: '172.18.0.2' },
        ],
        nodeInfo,
      },
    };
    expect(printNode(node, now)).toEqual([
      'cp-1',
      'Ready',
      'control-plane,master',
      '107d',
      'v1.32.4',
      '172.18.0.2',
      '<none>',
      'Ubuntu 22.04.4 LTS',
      '5.15.0-105-generic',
      'containerd://1.7.13',
    ]);
  });

  it('shows NotReady,SchedulingDisabled for a cordoned node whose kubelet stopped', () => {
    const node: Node = {
      metadata: { name: 'worker-2', creationTimestamp: '2024-04-30T12:00:00Z' },
      spec: { unschedulable: true },
      status: {
        conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }],
        addresses: [{ type: 'ExternalIP', address: '203.0.113.7' }],
      },
    };
    expect(printNode(node, now)).toEqual([
      'worker-2',
      'NotReady,SchedulingDisabled',
      '<none>',
      '24h',
      '',
      '<none>',
      '203.0.113.7',
      '<unknown>',
      '<unknown>',
      '<unknown>',
    ]);
  });

  it('is Unknown without a Ready condition', () => {
    expect(printNode({ metadata: { name: 'new' } }, now)[1]).toBe('Unknown');
  });
});
