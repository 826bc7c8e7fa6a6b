import type { IncomingMessage, ServerResponse } from 'node:http';
import { isObject, parseJson, readBody, sendJson } from './http.js';
import type { Renderer } from './render.js';
import { ActionError, type AccountState } from './state.js';
import type { Agent, SimIncident, SimUser } from './types.js';

/**
 * The REST API v2 the bot reads and a test acts through: GET /oncalls,
 * GET /incidents, GET and PUT /incidents/{id}, POST /incidents/{id}/notes.
 * Errors use PagerDuty's `{"error":{"message","code","errors"}}`.
 */

export interface RestDeps {
  state: AccountState;
  render: Renderer;
  tokens: Set<string>;
}


export async function handleRest(deps: RestDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
  const reply = (status: number, body: unknown): number => (sendJson(res, status, body), status);
  try {
    if (!authorized(deps.tokens, req.headers.authorization)) throw new ActionError(401, 2006, 'Authentication failed');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    if (method === 'GET' && path === '/oncalls') return reply(200, listOncalls(deps, url.searchParams));
    if (method === 'GET' && path === '/incidents') return reply(200, listIncidents(deps, url.searchParams));
    const one = /^\/incidents\/([A-Z0-9]+)(\/notes)?$/.exec(path);
    if (one && !one[2] && method === 'GET') return reply(200, { incident: deps.render.incident(deps.state.incident(one[1]!)) });
    if (one && !one[2] && method === 'PUT') return reply(200, { incident: deps.render.incident(await updateIncident(deps, one[1]!, req)) });
    if (one && one[2] && method === 'POST') {
      const incident = await annotate(deps, one[1]!, req);
      return reply(201, { note: deps.render.note(incident.notes.at(-1)!) });
    }
    throw new ActionError(404, 2100, 'Not Found');
  } catch (e) {
    if (!(e instanceof ActionError)) throw e;
    return reply(e.status, { error: { message: e.message, code: e.code, ...(e.errors.length ? { errors: e.errors } : {}) } });
  }
}

function authorized(tokens: Set<string>, header: string | undefined): boolean {
  const m = /^(?:Token token=|Bearer )(.+)$/.exec(header ?? '');
  return m !== null && tokens.has(m[1]!.trim());
}

/** Both `ids[]=a` (what pdjs sends for an array) and `ids=a`. */
function many(q: URLSearchParams, name: string): string[] {
  return [...q.getAll(`${name}[]`), ...q.getAll(name)].flatMap((v) => v.split(',')).filter(Boolean);
}

function page<T>(q: URLSearchParams, key: string, items: T[], render: (t: T) => unknown): Record<string, unknown> {
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 25) || 25, 1), 100);
  const offset = Math.max(Number(q.get('offset') ?? 0) || 0, 0);
  const slice = items.slice(offset, offset + limit);
  return { [key]: slice.map(render), limit, offset, more: offset + slice.length < items.length, total: q.get('total') === 'true' ? items.length : null };
}

function listOncalls({ state, render }: RestDeps, q: URLSearchParams): Record<string, unknown> {
  const policyIds = many(q, 'escalation_policy_ids');
  const scheduleIds = many(q, 'schedule_ids');
  const userIds = many(q, 'user_ids');
  const include = many(q, 'include');
  const start = new Date(state.now() - 86_400_000).toISOString();
  const end = new Date(state.now() + 6 * 86_400_000).toISOString();
  const rows = [...state.policies.values()]
    .filter((p) => policyIds.length === 0 || policyIds.includes(p.id))
    .flatMap((p) =>
      p.rules.flatMap((rule, i) =>
        rule.targets.map((t) => ({ policyId: p.id, level: i + 1, scheduleId: t.type === 'schedule' ? t.id : null, userId: t.type === 'user' ? t.id : state.schedules.get(t.id)?.onCallUserId })),
      ),
    )
    .filter((r): r is typeof r & { userId: string } => r.userId !== undefined)
    .filter((r) => scheduleIds.length === 0 || (r.scheduleId !== null && scheduleIds.includes(r.scheduleId)))
    .filter((r) => userIds.length === 0 || userIds.includes(r.userId));
  // `earliest=true`: one row per user and policy, the lowest level.
  const shown = q.get('earliest') === 'true' ? rows.filter((r, i) => rows.findIndex((o) => o.policyId === r.policyId && o.userId === r.userId) === i) : rows;
  return page(q, 'oncalls', shown, (r) => ({
    escalation_policy: include.includes('escalation_policies') ? { ...render.policy(r.policyId), type: 'escalation_policy', name: state.policies.get(r.policyId)?.name } : render.policy(r.policyId),
    escalation_level: r.level,
    schedule: r.scheduleId ? render.schedule(r.scheduleId) : null,
    user: include.includes('users') ? render.fullUser(r.userId) : render.user(r.userId),
    start: r.scheduleId ? start : null,
    end: r.scheduleId ? end : null,
  }));
}

function listIncidents({ state, render }: RestDeps, q: URLSearchParams): Record<string, unknown> {
  const statuses = many(q, 'statuses');
  const bad = statuses.filter((s) => !['triggered', 'acknowledged', 'resolved'].includes(s));
  if (bad.length) throw new ActionError(400, 2001, 'Invalid Input Provided', ['Statuses must be a list of triggered, acknowledged, or resolved.']);
  const serviceIds = many(q, 'service_ids');
  const userIds = many(q, 'user_ids');
  const key = q.get('incident_key');
  const items = [...state.incidents.values()].filter(
    (i) =>
      (statuses.length === 0 || statuses.includes(i.status)) &&
      (serviceIds.length === 0 || serviceIds.includes(i.serviceId)) &&
      (userIds.length === 0 || i.assigneeIds.some((u) => userIds.includes(u))) &&
      (key === null || i.incidentKey === key),
  );
  return page(q, 'incidents', items, (i) => render.incident(i));
}

/** The user a write acts as: PagerDuty takes it from the `From` header (an email) for API-token callers. */
function requester(state: AccountState, req: IncomingMessage): SimUser {
  const from = req.headers.from;
  if (!from) throw new ActionError(400, 2001, 'Invalid Input Provided', ['You must specify a user\'s email address in the "From" header to perform this action']);
  const user = state.userByEmail(from);
  if (!user) throw new ActionError(400, 1008, 'Requester User Not Found');
  return user;
}

async function jsonBody(req: IncomingMessage, wrapper: string): Promise<Record<string, unknown>> {
  const parsed = parseJson(await readBody(req));
  const inner = parsed.ok && isObject(parsed.value) ? parsed.value[wrapper] : undefined;
  if (!isObject(inner)) throw new ActionError(400, 2001, 'Invalid Input Provided', [`${wrapper} must be an object`]);
  return inner;
}

async function updateIncident({ state }: RestDeps, id: string, req: IncomingMessage): Promise<SimIncident> {
  const user = requester(state, req);
  const body = await jsonBody(req, 'incident');
  state.incident(id);
  const agent: Agent = { type: 'user_reference', id: user.id };
  let incident: SimIncident | undefined;
  if (Array.isArray(body.assignments)) {
    const ids = body.assignments.map((a: unknown) => (isObject(a) && isObject(a.assignee) ? String(a.assignee.id) : ''));
    incident = state.reassign(id, ids, agent, 'rest_api');
  }
  if (typeof body.escalation_level === 'number') incident = state.escalate(id, agent, 'rest_api', body.escalation_level);
  if (body.status === 'acknowledged') incident = state.acknowledge(id, agent, 'rest_api');
  else if (body.status === 'resolved') incident = state.resolve(id, agent, 'rest_api');
  else if (body.status !== undefined) throw new ActionError(400, 1003, 'Invalid Status Provided');
  if (!incident) throw new ActionError(400, 2001, 'Invalid Input Provided', ['Nothing to update']);
  return incident;
}

async function annotate({ state }: RestDeps, id: string, req: IncomingMessage): Promise<SimIncident> {
  const user = requester(state, req);
  const note = await jsonBody(req, 'note');
  if (typeof note.content !== 'string' || note.content === '') throw new ActionError(400, 2001, 'Invalid Input Provided', ["Content can't be blank"]);
  return state.addNote(id, note.content, user.id, 'rest_api');
}
