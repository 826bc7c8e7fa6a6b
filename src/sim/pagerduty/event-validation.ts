import { isObject } from './http.js';
import type { Severity } from './types.js';

/**
 * Events API v2 validation with PagerDuty's wording: a 400 lists every
 * problem at once under "Event object is invalid".
 */

export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];
const ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type EventAction = (typeof ACTIONS)[number];

export interface ValidEvent {
  routingKey: string;
  eventAction: EventAction;
  dedupKey?: string;
  payload: Record<string, unknown>;
  client?: string;
  clientUrl?: string;
}

const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
const missing = (field: string) => `'${field}' is missing or blank`;

export function validateEvent(body: Record<string, unknown>): { ok: true; event: ValidEvent } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const { routing_key: routingKey, event_action: action, dedup_key: dedupKey, payload } = body;

  if (blank(routingKey)) errors.push(missing('routing_key'));
  else if ((routingKey as string).length !== 32) errors.push("Length of 'routing_key' is incorrect (should be 32 characters)");

  if (blank(action)) errors.push(missing('event_action'));
  else if (!ACTIONS.includes(action as EventAction)) errors.push("'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')");

  if (dedupKey !== undefined && dedupKey !== null) {
    if (typeof dedupKey !== 'string') errors.push("'dedup_key' must be a string");
    else if (dedupKey.length > 255) errors.push("Length of 'dedup_key' is incorrect (should be no more than 255 characters)");
  }
  if ((action === 'acknowledge' || action === 'resolve') && blank(dedupKey)) errors.push(missing('dedup_key'));

  if (action === 'trigger') errors.push(...payloadErrors(payload));
  errors.push(...contextErrors(body.links, 'links', 'href'), ...contextErrors(body.images, 'images', 'src'));

  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    event: {
      routingKey: routingKey as string,
      eventAction: action as EventAction,
      ...(typeof dedupKey === 'string' && dedupKey !== '' ? { dedupKey } : {}),
      payload: isObject(payload) ? payload : {},
      ...(typeof body.client === 'string' ? { client: body.client } : {}),
      ...(typeof body.client_url === 'string' ? { clientUrl: body.client_url } : {}),
    },
  };
}

function payloadErrors(payload: unknown): string[] {
  if (!isObject(payload)) return [missing('payload')];
  const errors: string[] = [];
  const { summary, source, severity, timestamp } = payload;
  if (blank(summary)) errors.push(missing('payload.summary'));
  else if ((summary as string).length > 1024) errors.push("Length of 'payload.summary' is incorrect (should be no more than 1024 characters)");
  if (blank(source)) errors.push(missing('payload.source'));
  if (blank(severity)) errors.push(missing('payload.severity'));
  else if (!SEVERITIES.includes(severity as Severity))
    errors.push("'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')");
  if (timestamp !== undefined && (typeof timestamp !== 'string' || Number.isNaN(Date.parse(timestamp))))
    errors.push("'payload.timestamp' is invalid (must be an ISO 8601 timestamp)");
  for (const field of ['component', 'group', 'class'] as const)
    if (payload[field] !== undefined && typeof payload[field] !== 'string') errors.push(`'payload.${field}' must be a string`);
  return errors;
}

/** `links` need an `href`, `images` a `src`. */
function contextErrors(list: unknown, field: string, required: string): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return [`'${field}' must be an array`];
  return list.flatMap((item, i) => (isObject(item) && !blank(item[required]) ? [] : [missing(`${field}[${i}].${required}`)]));
}
