/**
 * Server-side `meta.k8s.io/v1` Tables, the form `kubectl get` asks for and
 * prints column by column. Like the apiserver, every row carries the wide
 * (priority 1) cells; kubectl drops them unless `-o wide`.
 */
import type { ValidatingWebhookConfiguration } from 'kubernetes-types/admissionregistration/v1.js';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type {
  ConfigMap,
  Endpoints,
  Event,
  Namespace,
  Node,
  PersistentVolumeClaim,
  Pod,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { horizontalPodAutoscalerColumns, printHorizontalPodAutoscaler } from './autoscaling.js';
import { configMapColumns, printConfigMap } from './configmaps.js';
import { defaultColumns, printDefault } from './default.js';
import { deploymentColumns, printDeployment } from './deployments.js';
import { endpointsColumns, printEndpoints } from './endpoints.js';
import { eventColumns, printEvent } from './events.js';
import { leaseColumns, printLease } from './leases.js';
import { namespaceColumns, printNamespace } from './namespaces.js';
import { nodeColumns, printNode } from './nodes.js';
import { podColumns, printPod } from './pods.js';
import { printReplicaSet, replicaSetColumns } from './replicasets.js';
import { printResourceQuota, resourceQuotaColumns } from './resourcequotas.js';
import { printSecret, secretColumns } from './secrets.js';
import { printServiceAccount, serviceAccountColumns } from './serviceaccounts.js';
import { printService, serviceColumns } from './services.js';
import { persistentVolumeClaimColumns, printPersistentVolumeClaim, printStorageClass, storageClassColumns } from './storage.js';
import { printValidatingWebhookConfiguration, validatingWebhookColumns } from './webhooks.js';
import type { Cell, KubeObject, ListMeta, PrintedRow, Table, TableColumnDefinition, TableRow } from './types.js';

export type { KubeObject, Table, TableColumnDefinition, TableRow } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** The simulator's clock: ages are computed server-side. */
  now: Date;
  /** The request's includeObject; kubectl asks for Metadata. */
  includeObject: IncludeObject;
  listMeta: ListMeta & { resourceVersion: string };
}

interface Printer {
  columns: TableColumnDefinition[];
  print(obj: KubeObject, now: Date): PrintedRow;
}

/** Adapts a typed printer; the resource name is what vouches for the object's shape. */
function printer<T>(columns: TableColumnDefinition[], print: (obj: T, now: Date) => Cell[]): Printer {
  return { columns, print: (obj, now) => ({ cells: print(obj as T, now) }) };
}

const PRINTERS = new Map<string, Printer>([
  ['pods', { columns: podColumns, print: (obj, now) => printPod(obj as Pod, now) }],
  ['deployments', printer<Deployment>(deploymentColumns, printDeployment)],
  ['replicasets', printer<ReplicaSet>(replicaSetColumns, printReplicaSet)],
  ['events', printer<Event>(eventColumns, printEvent)],
  ['namespaces', printer<Namespace>(namespaceColumns, printNamespace)],
  ['nodes', printer<Node>(nodeColumns, printNode)],
  ['services', printer<Service>(serviceColumns, printService)],
  ['endpoints', printer<Endpoints>(endpointsColumns, printEndpoints)],
  ['configmaps', printer<ConfigMap>(configMapColumns, printConfigMap)],
  ['secrets', printer<Secret>(secretColumns, printSecret)],
  ['resourcequotas', printer<ResourceQuota>(resourceQuotaColumns, printResourceQuota)],
  ['leases', printer<Lease>(leaseColumns, printLease)],
  ['serviceaccounts', printer<ServiceAccount>(serviceAccountColumns, printServiceAccount)],
  ['persistentvolumeclaims', printer<PersistentVolumeClaim>(persistentVolumeClaimColumns, printPersistentVolumeClaim)],
  ['storageclasses', printer<StorageClass>(storageClassColumns, printStorageClass)],
  ['horizontalpodautoscalers', printer<HorizontalPodAutoscaler>(horizontalPodAutoscalerColumns, printHorizontalPodAutoscaler)],
  ['validatingwebhookconfigurations', printer<ValidatingWebhookConfiguration>(validatingWebhookColumns, printValidatingWebhookConfiguration)],
]);

const DEFAULT_PRINTER = printer<KubeObject>(defaultColumns, printDefault);

/** What the apiserver puts in row.object for each includeObject value. */
function rowObject(obj: KubeObject, includeObject: IncludeObject): TableRow['object'] {
  switch (includeObject) {
    case 'None':
      return undefined;
    case 'Metadata':
      return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
    case 'Object':
      return obj;
  }
}

/** ListMeta as Go serialises it: empty strings and a missing count are omitted. */
function listMetadata({ resourceVersion, continue: token, remainingItemCount }: TableOptions['listMeta']): ListMeta {
  return {
    ...(resourceVersion ? { resourceVersion } : {}),
    ...(token ? { continue: token } : {}),
    ...(remainingItemCount !== undefined ? { remainingItemCount } : {}),
  };
}

/** The Table for `resource` (plural, lower-case) holding `objects`, one row each. */
export function tableFor(resource: string, objects: KubeObject[], opts: TableOptions): Table {
  const { columns, print } = PRINTERS.get(resource) ?? DEFAULT_PRINTER;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetadata(opts.listMeta),
    columnDefinitions: columns,
    rows: objects.map((obj) => {
      const { cells, conditions } = print(obj, opts.now);
      const object = rowObject(obj, opts.includeObject);
      return { cells, ...(conditions ? { conditions } : {}), ...(object ? { object } : {}) };
    }),
  };
}
