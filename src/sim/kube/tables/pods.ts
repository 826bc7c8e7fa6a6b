/** `kubectl get pods`: printPod in pkg/printers/internalversion/printers.go (v1.30-1.32). */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { printPodFields } from '../../../domain/kubectl/pods.js';
import { ageColumn, column, nameColumn, wideColumn } from './columns.js';
import type { PrintedRow, TableColumnDefinition, TableRowCondition } from './types.js';

export const podColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column(
    'Restarts',
    'string',
    'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
  ),
  ageColumn,
  wideColumn('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'),
  wideColumn(
    'Node',
    'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
  ),
  wideColumn(
    'Nominated Node',
    'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
  ),
  wideColumn(
    'Readiness Gates',
    'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
  ),
];

// Row conditions the apiserver attaches to finished pods.
const SUCCEEDED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const FAILED: TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

export function printPod(pod: Pod, now: Date): PrintedRow {
  const f = printPodFields(pod, now);
  const row: PrintedRow = { cells: [f.name, f.ready, f.status, f.restarts, f.age, f.ip, f.node, f.nominatedNode, f.readinessGates] };
  if (pod.status?.phase === 'Succeeded') row.conditions = SUCCEEDED;
  if (pod.status?.phase === 'Failed') row.conditions = FAILED;
  return row;
}
