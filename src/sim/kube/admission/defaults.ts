import type { Container, LimitRangeItem, PodSpec, PodTemplateSpec, Probe } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { resourceOfKind } from '../resources.js';
import type { AdmissionHook, ObjectStore, Operation } from '../store.js';
import { DEFAULT_CLASS_ANNOTATION } from '../tables/storage.js';

/**
 * The defaulting the apiserver applies (SetDefaults_* in pkg/apis/.../v1),
 * so objects read back carry the same fields as on a real cluster and
 * template comparisons (rollout undo) see identical shapes.
 */
export const applyDefaults: AdmissionHook = (obj, { op, subresource, store }) => {
  if (subresource === 'status') return;
  const spec = obj.spec as Record<string, unknown> | undefined;
  switch (obj.kind) {
    case 'Deployment':
      defaultWorkload(obj);
      spec!.strategy ??= { type: 'RollingUpdate' };
      {
        const strategy = spec!.strategy as { type?: string; rollingUpdate?: Record<string, unknown> };
        strategy.type ??= 'RollingUpdate';
        if (strategy.type === 'RollingUpdate') {
          strategy.rollingUpdate ??= {};
          strategy.rollingUpdate.maxUnavailable ??= '25%';
          strategy.rollingUpdate.maxSurge ??= '25%';
        }
      }
      spec!.revisionHistoryLimit ??= 10;
      spec!.progressDeadlineSeconds ??= 600;
      break;
    case 'ReplicaSet':
      defaultWorkload(obj);
      break;
    case 'Pod':
      defaultPodSpec(obj.spec as PodSpec);
      if (op === 'create') {
        const podSpec = obj.spec as PodSpec;
        podSpec.serviceAccountName ??= 'default';
        podSpec.serviceAccount ??= podSpec.serviceAccountName;
        podSpec.priority ??= 0;
        podSpec.preemptionPolicy ??= 'PreemptLowerPriority';
        podSpec.tolerations ??= [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ];
        obj.status = { phase: 'Pending', qosClass: qosClass(podSpec) };
      }
      break;
    case 'Service':
      defaultService(obj, () => store.random.int(250) + 1);
      break;
    case 'Namespace':
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': obj.metadata.name! };
      if (op === 'create') {
        // namespaceStrategy.PrepareForCreate: status Active, and the "kubernetes" finalizer always present.
        obj.status = { phase: 'Active' };
        const nsSpec = (obj.spec ??= {}) as { finalizers?: string[] };
        if (!nsSpec.finalizers?.includes('kubernetes')) nsSpec.finalizers = [...(nsSpec.finalizers ?? []), 'kubernetes'];
      }
      break;
    case 'PersistentVolumeClaim':
      defaultClaim(obj, op, store);
      break;
    case 'LimitRange':
      for (const item of ((spec ?? {}).limits ?? []) as LimitRangeItem[]) defaultLimitRangeItem(item);
      break;
    case 'StorageClass':
      obj.reclaimPolicy ??= 'Delete';
      obj.volumeBindingMode ??= 'Immediate';
      break;
    case 'HorizontalPodAutoscaler':
      (spec ?? {}).minReplicas ??= 1;
      break;
    case 'ValidatingWebhookConfiguration':
      for (const w of (obj.webhooks ?? []) as Array<Record<string, unknown>>) defaultWebhook(w);
      break;
    case 'Secret':
      obj.type ??= 'Opaque';
      // Decoding a v1 Secret folds stringData into data (stringData wins) and the
      // internal type has no stringData, so it is never stored or served back.
      if (obj.stringData && typeof obj.stringData === 'object') {
        const data = { ...((obj.data ?? {}) as Record<string, string>) };
        for (const [k, v] of Object.entries(obj.stringData as Record<string, unknown>)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
        obj.data = data;
      }
      delete obj.stringData;
      break;
  }
};

/**
 * SetDefaults_PersistentVolumeClaim plus two admission plugins: DefaultStorageClass
 * fills in the default class, StorageObjectInUseProtection adds the protection finalizer.
 */
function defaultClaim(obj: KubeObject, op: Operation, store: ObjectStore): void {
  const spec = (obj.spec ??= {}) as { volumeMode?: string; storageClassName?: string };
  spec.volumeMode ??= 'Filesystem';
  if (op !== 'create') return;
  obj.status = { phase: 'Pending' };
  if (spec.storageClassName === undefined && !obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class']) {
    const byDefault = store.list(resourceOfKind('StorageClass')).find((sc) => sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
    if (byDefault) spec.storageClassName = byDefault.metadata.name;
  }
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes('kubernetes.io/pvc-protection')) obj.metadata.finalizers = [...finalizers, 'kubernetes.io/pvc-protection'];
}

/** SetDefaults_LimitRangeItem: a Container item's default limit falls back to max, its default request to the default limit, then min. */
function defaultLimitRangeItem(item: LimitRangeItem): void {
  if (item.type !== 'Container') return;
  const defaults = (item.default ??= {});
  const requests = (item.defaultRequest ??= {});
  for (const [k, v] of Object.entries(item.max ?? {})) defaults[k] ??= v;
  for (const [k, v] of Object.entries(defaults)) requests[k] ??= v;
  for (const [k, v] of Object.entries(item.min ?? {})) requests[k] ??= v;
}

/** SetDefaults_ValidatingWebhook. */
function defaultWebhook(w: Record<string, unknown>): void {
  w.failurePolicy ??= 'Fail';
  w.matchPolicy ??= 'Equivalent';
  w.timeoutSeconds ??= 10;
  w.namespaceSelector ??= {};
  w.objectSelector ??= {};
  for (const r of (w.rules ?? []) as Array<Record<string, unknown>>) r.scope ??= '*';
  const service = (w.clientConfig as { service?: { port?: number } } | undefined)?.service;
  if (service) service.port ??= 443;
}

function defaultWorkload(obj: KubeObject): void {
  const spec = obj.spec as { replicas?: number; template?: PodTemplateSpec };
  spec.replicas ??= 1;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
}

function defaultContainer(c: Container): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= pullPolicyFor(c.image ?? '');
  c.resources ??= {};
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
}

function defaultProbe(p: Probe): void {
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) p.httpGet.scheme ??= 'HTTP';
}

/** `:latest` or no tag pulls Always; anything else IfNotPresent (core/v1 defaults). */
function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function qosClass(spec: PodSpec): string {
  const containers = spec.containers ?? [];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? l;
    return l.cpu !== undefined && l.memory !== undefined && String(r.cpu) === String(l.cpu) && String(r.memory) === String(l.memory);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaultService(obj: KubeObject, octet: () => number): void {
  const spec = (obj.spec ??= {}) as Record<string, unknown>;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.clusterIP === undefined && spec.type !== 'ExternalName') {
    spec.clusterIP = `10.96.${octet()}.${octet()}`;
    spec.clusterIPs = [spec.clusterIP];
  }
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  for (const p of (spec.ports ?? []) as Array<Record<string, unknown>>) {
    p.protocol ??= 'TCP';
    p.targetPort ??= p.port;
  }
  obj.status ??= { loadBalancer: {} };
}
