/** `kubectl get replicasets`: printReplicaSet. */
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { ageColumn, column, nameColumn, wideColumn } from './columns.js';
import { containersColumn, imagesColumn, layoutContainerCells } from './containers.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import { formatLabelSelector } from './labels.js';
import type { Cell, TableColumnDefinition } from './types.js';

// Descriptions come from extensions/v1beta1 ReplicaSetSpec/ReplicaSetStatus, as in the Go table.
export const replicaSetColumns: TableColumnDefinition[] = [
  nameColumn,
  column(
    'Desired',
    'integer',
    'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  ),
  column(
    'Current',
    'integer',
    'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller',
  ),
  column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn(
    'Selector',
    'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors',
  ),
];

export function printReplicaSet(replicaSet: ReplicaSet, now: Date): Cell[] {
  const status = replicaSet.status;
  const [containers, images] = layoutContainerCells(replicaSet.spec?.template?.spec?.containers);
  return [
    replicaSet.metadata?.name ?? '',
    replicaSet.spec?.replicas ?? 0,
    status?.replicas ?? 0,
    status?.readyReplicas ?? 0,
    translateTimestampSince(replicaSet.metadata?.creationTimestamp, now),
    containers,
    images,
    formatLabelSelector(replicaSet.spec?.selector),
  ];
}
