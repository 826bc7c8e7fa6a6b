import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { REGISTRY } from './images.js';

/** Builders for the objects scenarios set up and the changes they make. */
export const image = (app: string, tag: string) => `${REGISTRY}/${app}:${tag}`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

export const configMap = (namespace: string, name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

export const secret = (namespace: string, name: string, data: Record<string, string>, type = 'Opaque'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace },
  type,
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
});

export const dockerConfig = (namespace: string, name: string, username: string, password: string) =>
  secret(
    namespace,
    name,
    { '.dockerconfigjson': JSON.stringify({ auths: { [REGISTRY]: { username, password, auth: b64(`${username}:${password}`) } } }) },
    'kubernetes.io/dockerconfigjson',
  );

export const service = (namespace: string, name: string, selector: Record<string, string> | undefined, port: number, targetPort = port): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, labels: { app: name } },
  spec: { ...(selector ? { selector } : {}), ports: [{ name: 'tcp', port, targetPort }] },
});

/** A Service for something outside the cluster (a managed database), with hand-written Endpoints. */
export const externalService = (namespace: string, name: string, ip: string, port: number): KubeObject[] => [
  service(namespace, name, undefined, port),
  { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace }, subsets: [{ addresses: [{ ip }], ports: [{ name: 'tcp', port, protocol: 'TCP' }] }] },
];

export const quota = (namespace: string, name: string, hard: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace },
  spec: { hard },
});

export const helperDeployment = (namespace: string, name: string, img: string, port: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace, labels: { app: name } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name, image: img, ports: [{ containerPort: port }], resources: { requests: { cpu: '50m', memory: '64Mi' } } }] },
    },
  },
});

export const setImage = (tag: string, app?: string) => (_d: Deployment, c: Container) => {
  c.image = image(app ?? c.name, tag);
};
export const setEnv = (c: Container, name: string, env: NonNullable<Container['env']>[number]) => {
  c.env = [...(c.env ?? []).filter((e) => e.name !== name), env];
};


export const namespace = (name: string, labels?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });

export const storageClass = (name: string, provisioner: string, opts: { isDefault?: boolean; bindingMode?: 'Immediate' | 'WaitForFirstConsumer' } = {}): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, ...(opts.isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner,
  reclaimPolicy: 'Delete',
  volumeBindingMode: opts.bindingMode ?? 'Immediate',
});

export const persistentVolumeClaim = (namespace: string, name: string, storageClassName: string, storage: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage } } },
});

export const limitRange = (namespace: string, name: string, max: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name, namespace },
  spec: { limits: [{ type: 'Container', max }] },
});

/** Mounts a PersistentVolumeClaim into the deployment's first container. */
export const mountClaim = (d: Deployment, c: Container, volume: string, claimName: string, mountPath: string) => {
  const spec = d.spec!.template!.spec!;
  spec.volumes = [...(spec.volumes ?? []).filter((v) => v.name !== volume), { name: volume, persistentVolumeClaim: { claimName } }];
  c.volumeMounts = [...(c.volumeMounts ?? []).filter((m) => m.name !== volume), { name: volume, mountPath }];
};
