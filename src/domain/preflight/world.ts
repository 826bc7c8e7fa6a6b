import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Endpoints, Event, Node, PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { DiagnosisReport } from '../diagnosis.js';
import type { CollectionNote, ConfigRef, RegistryCheck } from '../snapshot.js';

/** The API server's answer to a dry run (dryRun=All): the object as it would be stored, or its refusal. */
export type DryRun<T> = { ok: true; object: T; warnings: string[] } | { ok: false; status: number; reason?: string; message: string };

/**
 * Everything a preflight reads about one candidate Deployment, collected up
 * front: the cluster as it is, with the input's other objects (ConfigMaps,
 * Services, claims ...) as if applied alongside, and the dry runs' answers.
 * The preflight is a pure function of this.
 */
export interface PreflightWorld {
  /** Where the candidate came from, for messages: "app.yaml document 2". */
  source: string;
  /** The Deployment as given, namespace resolved; replicas from the live one when the manifest leaves them out (as kubectl apply does). */
  candidate: Deployment;
  /** The Deployment's own dry run (update when it exists, else create); undefined when none could be made. */
  deploymentDryRun?: DryRun<Deployment>;
  /** A dry-run create of one pod of the new template: pod admission (LimitRange, PodSecurity, webhooks) answers. */
  podDryRun?: DryRun<Pod>;
  live?: Deployment;
  /** The live deployment's ReplicaSets (controller ownerReference) and their pods. */
  replicaSets: ReplicaSet[];
  pods: Pod[];
  /** Every non-terminal pod the scheduler and the quotas weigh: the cluster's, or the namespace's when the cluster's could not be read. */
  clusterPods: Pod[];
  nodes: Node[];
  resourceQuotas: ResourceQuota[];
  /** Secrets and ConfigMaps the template references: existence and key names, never values. */
  configRefs: ConfigRef[];
  /** The pods' ServiceAccount, when the template names one other than "default". */
  serviceAccount?: { name: string; exists: boolean };
  persistentVolumeClaims: PersistentVolumeClaim[];
  storageClasses: StorageClass[];
  /** Services of the namespace that select (or nearly select) the current or the new pods, with their Endpoints. */
  services: Array<{ service: Service; endpoints?: Endpoints }>;
  /** Events about the claims the template mounts: why a claim stays Pending. */
  events: Event[];
  /** One check per image of the template (init containers too), with the pods' pull credentials. */
  registry: RegistryCheck[];
  notes: CollectionNote[];
  collectedAt: string;
}

/** The diagnosis JSON of the Deployment as it would be after `kubectl apply` (DESIGN.md), marked as a preflight. */
export type PreflightReport = DiagnosisReport & { phase: 'preflight'; source: string };
