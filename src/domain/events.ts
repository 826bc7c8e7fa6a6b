import type { Event } from 'kubernetes-types/core/v1.js';

/**
 * When an event last happened, whichever recorder wrote it: a series
 * (events.k8s.io) keeps its latest occurrence in series.lastObservedTime and
 * its first in eventTime; the core/v1 recorder uses lastTimestamp and
 * firstTimestamp; creationTimestamp is the last resort.
 */
export function eventLastSeen(e: Event): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
}

/** eventLastSeen in epoch milliseconds (0 when unknown), for ordering. */
export const eventLastSeenMs = (e: Event): number => Date.parse(eventLastSeen(e) ?? '') || 0;

/** How often the event happened, whichever recorder wrote it. */
export const eventCount = (e: Event): number => e.series?.count ?? e.count ?? 1;
