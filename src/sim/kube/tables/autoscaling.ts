/** `kubectl get horizontalpodautoscalers`: printHorizontalPodAutoscaler and formatHPAMetrics (autoscaling/v2). */
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from '../../../domain/kubectl/duration.js';
import { canonicalQuantity } from './quantity.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const horizontalPodAutoscalerColumns: TableColumnDefinition[] = [
  nameColumn,
  column('Reference', 'string', 'reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and will set the desired number of pods by using its Scale subresource.'),
  column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
  column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
  column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
  column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
  ageColumn,
];

const q = (v: unknown) => canonicalQuantity(v as string | undefined);
const pct = (v: number | undefined) => (v === undefined ? undefined : `${v}%`);

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const t = spec.external!.target;
      if (t.averageValue !== undefined) return `${status?.external?.current.averageValue !== undefined ? q(status.external.current.averageValue) : '<unknown>'}/${q(t.averageValue)} (avg)`;
      return `${status?.external ? q(status.external.current.value) : '<unknown>'}/${q(t.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? q(status.pods.current.averageValue) : '<unknown>'}/${q(spec.pods!.target.averageValue)}`;
    case 'Object': {
      const t = spec.object!.target;
      if (t.averageValue !== undefined) return `${status?.object?.current.averageValue !== undefined ? q(status.object.current.averageValue) : '<unknown>'}/${q(t.averageValue)} (avg)`;
      return `${status?.object ? q(status.object.current.value) : '<unknown>'}/${q(t.value)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const r = spec.type === 'Resource' ? spec.resource! : spec.containerResource!;
      const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      if (r.target.averageValue !== undefined) return `${r.name}: ${cur ? q(cur.current.averageValue) : '<unknown>'}/${q(r.target.averageValue)}`;
      return `${r.name}: ${pct(cur?.current.averageUtilization) ?? '<unknown>'}/${pct(r.target.averageUtilization) ?? '<auto>'}`;
    }
    default:
      return '<unknown type>';
  }
}

/** At most two metrics, then "+ N more...". */
export function formatHPAMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | undefined): string {
  if (!specs?.length) return '<none>';
  const list = specs.map((s, i) => formatMetric(s, statuses?.[i]));
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

export function printHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler, now: Date): Cell[] {
  return [
    hpa.metadata?.name ?? '',
    `${hpa.spec?.scaleTargetRef.kind}/${hpa.spec?.scaleTargetRef.name}`,
    formatHPAMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
    hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    translateTimestampSince(hpa.metadata?.creationTimestamp, now),
  ];
}
