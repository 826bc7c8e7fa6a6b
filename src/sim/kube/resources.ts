/**
 * The resource types the simulated API server serves: what discovery
 * advertises and what routing, validation and Table output key on.
 */
export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Subresources beyond the object itself, e.g. status, log, scale. */
  subresources: string[];
  /**
   * Field labels the resource's registered field-label conversion accepts (the
   * metadata.* ones included, as each conversion lists them); absent, the
   * apiserver's default conversion allows only metadata.name and metadata.namespace.
   * (pkg/apis/core/v1/conversion.go; apps/v1 and the rest register none.)
   */
  fieldLabels?: readonly string[];
  /** Old field names the conversion rewrites. */
  fieldLabelAliases?: Readonly<Record<string, string>>;
  /** Whether writes to the main resource bump metadata.generation on spec changes. */
  generation: boolean;
  /**
   * DELETE answers with the deleted object (the registry's ReturnDeletedObject);
   * otherwise with a Success Status naming it.
   */
  returnDeletedObject?: boolean;
  /** Verbs discovery advertises; absent, all of VERBS. */
  verbs?: readonly string[];
  /** Served from live simulated state (metrics.k8s.io), never stored. */
  computed?: boolean;
}

export const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function core(r: Omit<ResourceType, 'group' | 'version' | 'subresources' | 'generation'> & Partial<ResourceType>): ResourceType {
  return { group: '', version: 'v1', subresources: [], generation: false, ...r };
}

export const RESOURCES: readonly ResourceType[] = [
  core({ plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], returnDeletedObject: true, subresources: ['status'], fieldLabels: ['status.phase', 'metadata.name'] }),
  core({ plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'], subresources: ['status'], fieldLabels: ['metadata.name', 'spec.unschedulable'] }),
  core({
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    returnDeletedObject: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'log'],
    fieldLabels: [
      'metadata.name',
      'metadata.namespace',
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
    fieldLabelAliases: { 'spec.host': 'spec.nodeName' },
  }),
  core({
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    fieldLabels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
      'metadata.namespace',
      'metadata.name',
    ],
  }),
  core({ plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] }),
  core({ plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true, fieldLabels: ['type', 'metadata.namespace', 'metadata.name'] }),
  core({ plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], returnDeletedObject: true }),
  core({ plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], returnDeletedObject: true, categories: ['all'], subresources: ['status'], fieldLabels: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'] }),
  core({ plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] }),
  core({ plural: 'resourcequotas', singular: 'resourcequota', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], subresources: ['status'] }),
  core({ plural: 'limitranges', singular: 'limitrange', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] }),
  core({ plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'], subresources: ['status'] }),
  {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  },
  {
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    generation: true,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    plural: 'leases',
    singular: 'lease',
    kind: 'Lease',
    namespaced: true,
    subresources: [],
    generation: false,
  },
  {
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    singular: 'storageclass',
    kind: 'StorageClass',
    namespaced: false,
    shortNames: ['sc'],
    subresources: [],
    generation: false,
  },
  {
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingwebhookconfigurations',
    singular: 'validatingwebhookconfiguration',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
    categories: ['api-extensions'],
    subresources: [],
    generation: true,
  },
  {
    group: 'autoscaling',
    version: 'v2',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    generation: true,
  },
  // metrics-server's aggregated API: read-only, computed from what the kubelets run.
  { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', singular: '', kind: 'PodMetrics', namespaced: true, subresources: [], generation: false, verbs: ['get', 'list'], computed: true },
  { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'nodes', singular: '', kind: 'NodeMetrics', namespaced: false, subresources: [], generation: false, verbs: ['get', 'list'], computed: true },
];

export const apiVersionOf = (r: ResourceType): string => (r.group ? `${r.group}/${r.version}` : r.version);

/** "deployments.apps", as the apiserver names a resource in its messages. */
export const qualifiedName = (r: ResourceType): string => (r.group ? `${r.plural}.${r.group}` : r.plural);

const byPath = new Map(RESOURCES.map((r) => [`${apiVersionOf(r)}/${r.plural}`, r]));
const byKind = new Map(RESOURCES.map((r) => [r.kind, r]));

export function resourceAt(apiVersion: string, plural: string): ResourceType | undefined {
  return byPath.get(`${apiVersion}/${plural}`);
}

export function resourceOfKind(kind: string): ResourceType {
  const r = byKind.get(kind);
  if (!r) throw new Error(`the simulator has no resource of kind ${kind}`);
  return r;
}
