/** `kubectl get deployments`: printDeployment. */
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { ageColumn, column, nameColumn, wideColumn } from './columns.js';
import { containersColumn, imagesColumn, layoutContainerCells } from './containers.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import { labelSelectorString } from './labels.js';
import type { Cell, TableColumnDefinition } from './types.js';

// Descriptions come from extensions/v1beta1 DeploymentStatus/DeploymentSpec, as in the Go table.
export const deploymentColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Ready', 'string', 'Number of the pod with ready state'),
  column(
    'Up-to-date',
    'string',
    'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
  ),
  column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  wideColumn(
    'Selector',
    'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.',
  ),
];

export function printDeployment(deployment: Deployment, now: Date): Cell[] {
  const status = deployment.status ?? {};
  const [containers, images] = layoutContainerCells(deployment.spec?.template?.spec?.containers);
  return [
    deployment.metadata?.name ?? '',
    `${status.readyReplicas ?? 0}/${deployment.spec?.replicas ?? 0}`,
    status.updatedReplicas ?? 0,
    status.availableReplicas ?? 0,
    translateTimestampSince(deployment.metadata?.creationTimestamp, now),
    containers,
    images,
    labelSelectorString(deployment.spec?.selector) ?? '<invalid>',
  ];
}
