/**
 * `kubectl get events`: printEvent. LAST SEEN here is a plain age; the
 * "3m (x5 over 10m)" form belongs to `kubectl events` and `kubectl describe`,
 * which format it client-side, never to the server's Table.
 */
import type { Event, EventSource } from 'kubernetes-types/core/v1.js';
import { column, nameColumn, wideColumn } from './columns.js';
import { translateMicroTimestampSince, translateTimestampSince } from '../../../domain/kubectl/duration.js';
import { parseTime } from '../../../domain/kubectl/timestamp.js';
import type { Cell, TableColumnDefinition } from './types.js';

export const eventColumns: TableColumnDefinition[] = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column(
    'Reason',
    'string',
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column('Object', 'string', 'The object that this event is about.'),
  wideColumn(
    'Subobject',
    'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.',
  ),
  wideColumn('Source', 'The component reporting this event. Should be a short machine understandable string.'),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  wideColumn('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
  wideColumn('Count', 'The number of times this event has occurred.'),
  { ...nameColumn, priority: 1 },
];

/** "component, instance", falling back to the events.k8s.io reporting fields. */
function formatEventSource(source: EventSource | undefined, controller?: string, instance?: string): string {
  const component = source?.component || controller || '';
  const host = source?.host || instance || '';
  return host ? `${component}, ${host}` : component;
}

export function printEvent(event: Event, now: Date): Cell[] {
  const firstSeen =
    parseTime(event.firstTimestamp) === undefined
      ? translateMicroTimestampSince(event.eventTime, now)
      : translateTimestampSince(event.firstTimestamp, now);
  let lastSeen =
    parseTime(event.lastTimestamp) === undefined ? firstSeen : translateTimestampSince(event.lastTimestamp, now);
  // Singleton events from the events.k8s.io API carry no count.
  let count = event.count || 1;
  if (event.series) {
    lastSeen = translateMicroTimestampSince(event.series.lastObservedTime, now);
    count = event.series.count ?? 0;
  }

  const involved = event.involvedObject ?? {};
  const kind = (involved.kind ?? '').toLowerCase();
  return [
    lastSeen,
    event.type ?? '',
    event.reason ?? '',
    involved.name ? `${kind}/${involved.name}` : kind,
    involved.fieldPath ?? '',
    formatEventSource(event.source, event.reportingComponent, event.reportingInstance),
    (event.message ?? '').trim(),
    firstSeen,
    count,
    event.metadata?.name ?? '',
  ];
}
