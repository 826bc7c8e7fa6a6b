import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { PagerDutyEmulator } from './emulator.js';
import { FAULT_ROUTES, type Fault } from './faults.js';
import { isObject, parseJson, readBody, sendJson } from './http.js';
import { ActionError } from './state.js';
import { INCIDENT_EVENT_TYPES } from './webhooks.js';

/**
 * The emulator's own JSON API under /_sim/v1/, on a plain-HTTP port of its
 * own (so a browser can reach it, and it stays up while the HTTPS port is
 * refusing connections): inspect, act as the on-call, configure webhooks,
 * inject faults. Not part of PagerDuty.
 */

const EventType = z.enum(INCIDENT_EVENT_TYPES as [string, ...string[]]).transform((t) => t as (typeof INCIDENT_EVENT_TYPES)[number]);
const Subscription = z.object({ url: z.url(), secret: z.string().min(1).optional(), secrets: z.array(z.string().min(1)).min(1).max(2).optional(), events: z.array(EventType).optional() });
const Secrets = z.object({ secrets: z.array(z.string().min(1)).min(1).max(2) });
const Send = z.object({
  subscriptionId: z.string().optional(),
  eventType: EventType.optional(),
  incidentId: z.string().optional(),
  body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  signature: z.union([z.enum(['valid', 'wrong', 'missing']), z.object({ header: z.string() })]).optional(),
  webhookId: z.string().optional(),
  retry: z.boolean().optional(),
});
const FaultBody = z.object({
  route: z.enum(FAULT_ROUTES as [string, ...string[]]).transform((r) => r as (typeof FAULT_ROUTES)[number]),
  kind: z.enum(['status', 'rate_limited', 'reset', 'stalled']),
  status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(503),
  retryAfterSeconds: z.number().int().min(0).default(1),
  times: z.number().int().min(1).optional(),
  forMs: z.number().int().min(1).optional(),
});
const Acting = z.object({ userId: z.string().optional() });
const Escalate = z.object({ toLevel: z.number().int().min(1).optional() });
const Reassign = z.object({ userIds: z.array(z.string()).min(1), byUserId: z.string().optional() });
const Note = z.object({ content: z.string().min(1), userId: z.string().optional() });
const OnCall = z.object({ userId: z.string() });
const Refuse = z.object({ forMs: z.number().int().min(1).optional() });

export async function handleControl(em: PagerDutyEmulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const q = (name: string) => url.searchParams.get(name) ?? undefined;
  const path = url.pathname.replace(/^\/_sim\/v1\//, '');
  const route = `${req.method ?? 'GET'} ${path}`;
  const body = async <S extends z.ZodType>(schema: S): Promise<z.infer<S>> => {
    const parsed = parseJson((await readBody(req)) || '{}');
    const result = schema.safeParse(parsed.ok && isObject(parsed.value) ? parsed.value : {});
    if (!result.success) throw new ActionError(400, 0, z.prettifyError(result.error));
    return result.data;
  };
  const id = /^(?:incidents|schedules|webhooks\/subscriptions|webhooks\/deliveries)\/([^/]+)/.exec(path)?.[1] ?? '';
  try {
    if (!url.pathname.startsWith('/_sim/v1/')) throw new ActionError(404, 0, 'not found');
    const result = await dispatch();
    sendJson(res, 200, result ?? { ok: true });
  } catch (e) {
    if (e instanceof ActionError) return sendJson(res, e.status, { error: e.message });
    sendJson(res, 409, { error: e instanceof Error ? e.message : String(e) });
  }

  async function dispatch(): Promise<unknown> {
    switch (id ? route.replace(`/${id}`, '/:id') : route) {
      case 'GET state':
        return em.snapshot();
      case 'GET events':
        return em.events({ routingKey: q('routing_key'), dedupKey: q('dedup_key') });
      case 'GET incidents':
        return em.incidents({ dedupKey: q('dedup_key'), status: q('status') as 'triggered' | undefined });
      case 'GET incidents/:id':
        return em.incident(id);
      case 'GET deliveries':
        return em.deliveries({ eventType: q('event_type'), incidentId: q('incident_id') });
      case 'GET counters':
        return em.counters();
      case 'GET rest-calls':
        return em.restCalls();
      case 'POST incidents/:id/acknowledge':
        return em.acknowledge(id, (await body(Acting)).userId);
      case 'POST incidents/:id/resolve':
        return em.resolve(id, (await body(Acting)).userId);
      case 'POST incidents/:id/escalate':
        return em.escalate(id, (await body(Escalate)).toLevel);
      case 'POST incidents/:id/reassign': {
        const b = await body(Reassign);
        return em.reassign(id, b.userIds, b.byUserId);
      }
      case 'POST incidents/:id/notes': {
        const b = await body(Note);
        return em.addNote(id, b.content, b.userId);
      }
      case 'PUT schedules/:id/on-call':
        return em.setOnCall(id, (await body(OnCall)).userId);
      case 'POST webhooks/subscriptions':
        return em.subscribeWebhooks(await body(Subscription));
      case 'PUT webhooks/subscriptions/:id/secrets':
        return em.setWebhookSecrets(id, (await body(Secrets)).secrets);
      case 'POST webhooks/send':
        return em.sendWebhook(await body(Send));
      case 'POST webhooks/deliveries/:id/replay':
        return em.replayWebhook(id);
      case 'POST faults':
        return addFault(em, await body(FaultBody));
      case 'DELETE faults':
        return em.clearFaults();
      case 'POST connections/refuse':
        return em.refuseConnections((await body(Refuse)).forMs);
      case 'POST connections/accept':
        return em.acceptConnections();
      case 'POST rate-limits/reset':
        return em.resetRateLimits();
      default:
        throw new ActionError(404, 0, `no control route ${route}`);
    }
  }
}

function addFault(em: PagerDutyEmulator, b: z.infer<typeof FaultBody>): void {
  const fault: Fault =
    b.kind === 'status' ? { kind: 'status', status: b.status }
    : b.kind === 'rate_limited' ? { kind: 'rate_limited', retryAfterSeconds: b.retryAfterSeconds }
    : { kind: b.kind };
  if (b.forMs !== undefined) em.failFor(b.route, fault, b.forMs);
  else em.failNext(b.route, fault, b.times ?? 1);
}
