import { image, mountClaim, persistentVolumeClaim, setImage, storageClass } from './objects.js';
import type { Scenario } from './scenario.js';

const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
const gpuNode = (name: string, zone: string) => ({
  name,
  cpu: '16',
  memory: '64Gi',
  labels: { pool: 'gpu', 'nvidia.com/gpu.present': 'true', 'topology.kubernetes.io/zone': zone },
  taints: [GPU_TAINT],
});

/** Pods the scheduler cannot place: taints, inter-pod rules, volumes. */
export const SCHEDULING_SCENARIOS: Scenario[] = [
  {
    name: 'untolerated-taint',
    description: 'The new revision selects the GPU pool (pool=gpu) but does not tolerate its nvidia.com/gpu=present:NoSchedule taint',
    namespace: 'ml',
    deployment: 'model-server',
    expect: ['UNTOLERATED_TAINT'],
    tag: 'v2.3.0',
    nodes: [gpuNode('sim-gpu-1', 'zone-a'), gpuNode('sim-gpu-2', 'zone-b')],
    change: (d, c) => {
      setImage('v2.4.0')(d, c);
      d.spec!.template!.spec!.nodeSelector = { pool: 'gpu' };
    },
    changeCause: 'deploy model-server v2.4.0 on the GPU pool',
  },
  {
    name: 'unschedulable-other',
    description: 'Required pod anti-affinity allows one pod per node; every worker already runs one, so the surge pod fits nowhere',
    namespace: 'production',
    deployment: 'session-gateway',
    expect: ['UNSCHEDULABLE'],
    tag: 'v1.2.0',
    base: (d) => {
      d.spec!.template!.spec!.affinity = {
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'session-gateway' } }, topologyKey: 'kubernetes.io/hostname' }] },
      };
    },
    change: setImage('v1.3.0'),
    changeCause: 'deploy session-gateway v1.3.0',
  },
  {
    name: 'pvc-not-found',
    description: 'The new revision mounts the claim report-archive, which was never created',
    namespace: 'production',
    deployment: 'report-archiver',
    expect: ['PVC_NOT_FOUND'],
    tag: 'v1.0.0',
    change: (d, c) => {
      c.image = image('report-archiver', 'v1.1.0');
      mountClaim(d, c, 'archive', 'report-archive', '/var/lib/archive');
    },
    changeCause: 'deploy report-archiver v1.1.0 with a persistent archive',
  },
  {
    name: 'pvc-unbound',
    description: 'The claim asks for StorageClass fast-ssd, which does not exist (the cluster has standard), so it stays Pending',
    namespace: 'production',
    deployment: 'document-store',
    expect: ['PVC_UNBOUND'],
    tag: 'v3.0.0',
    setup: [
      storageClass('standard', 'rancher.io/local-path', { isDefault: true, bindingMode: 'WaitForFirstConsumer' }),
      persistentVolumeClaim('production', 'document-store-data', 'fast-ssd', '20Gi'),
    ],
    change: (d, c) => {
      c.image = image('document-store', 'v3.1.0');
      mountClaim(d, c, 'data', 'document-store-data', '/var/lib/document-store');
    },
    changeCause: 'deploy document-store v3.1.0 on SSD-backed storage',
  },
];
