import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateEvent } from './event-validation.js';
import { BodyTooLargeError, isObject, parseJson, readBody, sendJson } from './http.js';
import type { SlidingWindowLimit } from './rate-limit.js';
import type { AccountState } from './state.js';
import type { ReceivedEvent } from './types.js';

/**
 * POST /v2/enqueue with the Events API v2's answers: 202 with the dedup_key,
 * 400 "invalid event" listing what is wrong, 400 "Unrecognized object" for
 * a body that is not a JSON object, 429 past the per-routing-key limit.
 */

/**
 * PagerDuty does not document the Events API's 429 body; this is the throttle
 * answer its Events API has long sent. Clients should go by the status alone.
 */
export const RATE_LIMITED_BODY = { status: 'throttle exceeded', message: 'Requests for this service are arriving too quickly.  Please retry later.' };

export async function handleEnqueue(state: AccountState, limit: SlidingWindowLimit, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const userAgent = req.headers['user-agent'];
  const reply = (status: number, body: unknown): number => (sendJson(res, status, body), status);
  let text: string;
  try {
    text = await readBody(req);
  } catch (e) {
    if (!(e instanceof BodyTooLargeError)) throw e;
    state.record({ status: 413, body: null, errors: ['payload larger than 512 KB'], outcome: 'invalid', userAgent });
    res.writeHead(413, { Connection: 'close' }).end();
    return 413;
  }
  const parsed = parseJson(text);
  if (!parsed.ok || !isObject(parsed.value)) {
    const body = { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] };
    state.record({ status: 400, body: parsed.ok ? parsed.value : text, errors: body.errors, outcome: 'invalid', userAgent });
    return reply(400, body);
  }
  const raw = parsed.value;
  const echo = { ...eventFields(raw), userAgent };
  const valid = validateEvent(raw);
  if (!valid.ok) {
    state.record({ ...echo, status: 400, errors: valid.errors, outcome: 'invalid' });
    return reply(400, { status: 'invalid event', message: 'Event object is invalid', errors: valid.errors });
  }
  if (!limit.admit(valid.event.routingKey)) {
    state.record({ ...echo, status: 429, outcome: 'rate_limited' });
    return reply(429, RATE_LIMITED_BODY);
  }
  const result = state.applyEvent(valid.event);
  state.record({ ...echo, dedupKey: result.dedupKey, status: 202, outcome: result.outcome, ...(result.incidentId ? { incidentId: result.incidentId } : {}) });
  return reply(202, { status: 'success', message: 'Event processed', dedup_key: result.dedupKey });
}

/** What the event log shows of a request body: its keys and the body itself. */
export function eventFields(body: unknown): Pick<ReceivedEvent, 'routingKey' | 'dedupKey' | 'eventAction' | 'body'> {
  if (!isObject(body)) return { body };
  return {
    ...(typeof body.routing_key === 'string' ? { routingKey: body.routing_key } : {}),
    ...(typeof body.dedup_key === 'string' ? { dedupKey: body.dedup_key } : {}),
    ...(typeof body.event_action === 'string' ? { eventAction: body.event_action } : {}),
    body,
  };
}
