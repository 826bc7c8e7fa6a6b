import type { IncomingMessage, ServerResponse } from 'node:http';
import { eventFields, handleEnqueue, RATE_LIMITED_BODY } from './events-api.js';
import type { Fault, FaultPlan, FaultRoute } from './faults.js';
import { parseJson, readBody, sendJson } from './http.js';
import type { SlidingWindowLimit } from './rate-limit.js';
import { handleRest, type RestDeps } from './rest-api.js';
import type { AccountState } from './state.js';

/** Everything the HTTPS listener serves, with faults applied before the real handler. */

export interface RestCall {
  at: string;
  method: string;
  path: string;
  accept?: string;
  from?: string;
  status: number | 'reset' | 'stalled';
}

export interface RouteDeps extends RestDeps {
  faults: FaultPlan;
  limit: SlidingWindowLimit;
  restCalls: RestCall[];
  /** route → HTTP status (or reset/stalled) → count. */
  counters: Map<string, Map<string, number>>;
}

export async function routeHttps(deps: RouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://pagerduty');
  const route: Exclude<FaultRoute, '*'> | 'other' =
    url.pathname === '/v2/enqueue' ? 'enqueue' : url.pathname.startsWith('/oncalls') ? 'oncalls' : url.pathname.startsWith('/incidents') ? 'incidents' : 'other';
  const fault = route === 'other' ? undefined : deps.faults.take(route);
  let outcome: number | 'reset' | 'stalled';
  if (fault) outcome = await applyFault(deps.state, route, fault, req, res);
  else if (route === 'enqueue' && req.method === 'POST') outcome = await handleEnqueue(deps.state, deps.limit, req, res);
  else if (route === 'enqueue') outcome = (sendJson(res, 405, { status: 'error', message: 'Method Not Allowed' }), 405);
  else outcome = await handleRest(deps, req, res, url);
  if (route !== 'enqueue') {
    const { accept, from } = req.headers;
    deps.restCalls.push({ at: deps.state.iso(), method: req.method ?? 'GET', path: url.pathname + url.search, ...(accept ? { accept } : {}), ...(from ? { from } : {}), status: outcome });
  }
  const counts = deps.counters.get(route) ?? new Map<string, number>();
  counts.set(String(outcome), (counts.get(String(outcome)) ?? 0) + 1);
  deps.counters.set(route, counts);
  deps.state.emit('change');
}

/**
 * A 500 answers JSON; 502–504 answer HTML, as the load balancer in front of
 * PagerDuty would. An Events API request hit by a fault is still logged, with
 * its body, so a test can count every attempt.
 */
async function applyFault(state: AccountState, route: string, fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<number | 'reset' | 'stalled'> {
  if (fault.kind === 'reset') {
    if (route === 'enqueue') state.record({ status: 'reset', body: null, outcome: 'fault' });
    req.socket.destroy();
    return 'reset';
  }
  if (fault.kind === 'stalled') {
    if (route === 'enqueue') state.record({ status: 'stalled', body: null, outcome: 'fault' });
    return 'stalled';
  }
  const text = await readBody(req).catch(() => '');
  const status = fault.kind === 'rate_limited' ? 429 : fault.status;
  if (route === 'enqueue') {
    const parsed = parseJson(text);
    state.record({ ...eventFields(parsed.ok ? parsed.value : text), status, outcome: 'fault' });
  }
  if (fault.kind === 'rate_limited') {
    const body = route === 'enqueue' ? RATE_LIMITED_BODY : { error: { message: 'Rate Limit Exceeded', code: 2020 } };
    sendJson(res, 429, body, { 'Retry-After': String(fault.retryAfterSeconds) });
  } else if (fault.status === 500) {
    sendJson(res, 500, route === 'enqueue' ? { status: 'error', message: 'Internal Server Error' } : { error: { message: 'An internal error has occurred. PagerDuty team has been notified.', code: 2000 } });
  } else {
    const html = `<html><body><h1>${fault.status} Server Error</h1></body></html>`;
    res.writeHead(fault.status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(html) }).end(html);
  }
  return status;
}
