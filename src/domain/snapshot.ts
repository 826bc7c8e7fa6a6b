import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Endpoints, Event, Node, PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';

/**
 * Everything a diagnosis reads about one Deployment, collected once and up
 * front (plain Kubernetes JSON). Analyzers are pure functions of this.
 */
export interface DeploymentSnapshot {
  deployment: Deployment;
  /** ReplicaSets the deployment controls (ownerReference controller=true, its uid). */
  replicaSets: ReplicaSet[];
  /** Pods of those ReplicaSets. */
  pods: Pod[];
  /** Events about the deployment, its ReplicaSets, its pods and the claims they mount, oldest first. */
  events: Event[];
  nodes: Node[];
  resourceQuotas: ResourceQuota[];
  /** Secrets and ConfigMaps the current template references: existence and key names, never values. */
  configRefs: ConfigRef[];
  /** PersistentVolumeClaims any revision's template mounts that exist (a missing one is simply absent). */
  persistentVolumeClaims: PersistentVolumeClaim[];
  /** The cluster's StorageClasses: what a claim's storageClassName can refer to. */
  storageClasses: StorageClass[];
  /** Services in the namespace whose selector matches, or misses by one label, any revision's pod labels, with their Endpoints. */
  services: Array<{ service: Service; endpoints?: Endpoints }>;
  /** Output of failing containers, redacted and capped. */
  logs: ContainerLog[];
  /** Registry checks of the images of failing pods. */
  registry: RegistryCheck[];
  /** Reads that failed (403, timeout, 5xx): the diagnosis goes on without them. */
  notes: CollectionNote[];
  collectedAt: string;
}

export interface ConfigRef {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  exists: boolean;
  keys: string[];
}

export interface ContainerLog {
  pod: string;
  container: string;
  previous: boolean;
  lines: string[];
  /** True when the tail or byte cap cut the output. */
  truncated: boolean;
}

export type RegistryStatus = 'found' | 'tag-not-found' | 'repository-not-found' | 'unauthorized' | 'unreachable' | 'invalid-reference' | 'error';

export interface RegistryCheck {
  image: string;
  status: RegistryStatus;
  /** A sentence for humans, free of secrets. */
  detail: string;
  httpStatus?: number;
  digest?: string;
  /** For a missing tag: the nearest tags that exist, best first. */
  nearestTags?: string[];
}

export interface CollectionNote {
  /** What could not be read, e.g. "events", "logs of pod/x container app", "registry check of img". */
  source: string;
  message: string;
}
