import type { Node, Taint } from 'kubernetes-types/core/v1.js';

export interface NodeShape {
  name: string;
  cpu: string;
  memory: string;
  labels?: Record<string, string>;
  controlPlane?: boolean;
  taints?: Taint[];
}

/** A small cluster: one tainted control-plane node and three 8-CPU/32Gi workers. */
export const DEFAULT_NODES: NodeShape[] = [
  { name: 'sim-control-plane', cpu: '2', memory: '4Gi', controlPlane: true },
  { name: 'sim-worker-1', cpu: '8', memory: '32Gi', labels: { 'topology.kubernetes.io/zone': 'zone-a' } },
  { name: 'sim-worker-2', cpu: '8', memory: '32Gi', labels: { 'topology.kubernetes.io/zone': 'zone-b' } },
  { name: 'sim-worker-3', cpu: '8', memory: '32Gi', labels: { 'topology.kubernetes.io/zone': 'zone-c' } },
];

export function nodeObject(shape: NodeShape, index: number, now: string): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: shape.name,
      labels: {
        'kubernetes.io/hostname': shape.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        ...(shape.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
        ...shape.labels,
      },
    },
    spec: {
      podCIDR: `10.244.${index + 1}.0/24`,
      ...(shape.controlPlane || shape.taints
        ? { taints: [...(shape.controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []), ...(shape.taints ?? [])] }
        : {}),
    },
    status: {
      capacity: { cpu: shape.cpu, memory: shape.memory, pods: '110', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: shape.cpu, memory: shape.memory, pods: '110', 'ephemeral-storage': '95Gi' },
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: now, lastTransitionTime: now },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: now, lastTransitionTime: now },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: now, lastTransitionTime: now },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now },
      ],
      addresses: [
        { type: 'InternalIP', address: `192.168.49.${index + 2}` },
        { type: 'Hostname', address: shape.name },
      ],
      nodeInfo: {
        machineID: `${index}`.padStart(32, '0'),
        systemUUID: `${index}`.padStart(32, '0'),
        bootID: `${index}`.padStart(32, '0'),
        kernelVersion: '6.1.0-sim',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion: 'v1.32.0',
        kubeProxyVersion: 'v1.32.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
