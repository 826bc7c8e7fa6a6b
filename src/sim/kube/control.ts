import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { FaultRuleSchema } from './api/faults.js';
import { readBody, readJson, sendJson } from './api/http-util.js';
import { resolveContainer, type LogLine } from './api/logs.js';
import type { ControlHandler } from './api/server.js';
import { SCENARIOS } from './catalog/scenarios.js';
import { resourceOfKind } from './resources.js';
import { badRequest } from './status-error.js';
import type { KubeSimulator } from './simulator.js';

const AdvanceSchema = z.object({ seconds: z.number().min(0).max(7 * 24 * 3600) }).strict();
const CompactSchema = z.object({ resourceVersion: z.number().int().min(0).optional() }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw badRequest(`invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

const POD_LOG = /^\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;
const TIMESTAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/;

/**
 * The simulator's own API under /_sim/v1: move the clock, inject faults,
 * list scenarios, compact watch history, end open watches, write container logs. Not part of Kubernetes.
 *
 * POST /_sim/v1/watches/end: ends every open watch stream cleanly, as an apiserver restart
 *   does; clients must watch again from their resourceVersion. Answers {ended: N}.
 *
 * PUT /_sim/v1/namespaces/{ns}/pods/{pod}/log?container=C&previous=true|false&timestamps=true|false
 *   Body: the container's output as text/plain, one line per line. It replaces the
 *   current (or, with previous=true, the previous) instance's log, which
 *   GET .../pods/{pod}/log then serves (previous, tailLines, limitBytes, sinceSeconds
 *   as for the kubelet's logs). With timestamps=true every line starts with the
 *   RFC 3339 time it was written, as `kubectl logs --timestamps` prints it, so a
 *   captured log loads back as it was; otherwise the lines are dated now.
 *   The pod must exist (404) and the container must be one of its containers or
 *   init containers (400), as for the logs endpoint. Answers {namespace, pod,
 *   container, previous, lines}.
 */
export function controlHandler(sim: KubeSimulator): ControlHandler {
  return async (method: string, path: string, req: IncomingMessage, res: ServerResponse) => {
    const logRoute = POD_LOG.exec(path);
    if (logRoute && method === 'PUT') {
      sendJson(res, 200, await putPodLog(sim, decodeURIComponent(logRoute[1]!), decodeURIComponent(logRoute[2]!), req));
      return true;
    }
    const route = `${method} ${path.replace(/\/$/, '')}`;
    switch (route) {
      case 'GET /v1/clock':
        sendJson(res, 200, clockState(sim));
        return true;
      case 'POST /v1/clock/advance': {
        const { seconds } = parse(AdvanceSchema, await readJson(req), 'clock advance (expected {"seconds": N})');
        await sim.advanceAsync(seconds * 1000);
        sendJson(res, 200, clockState(sim));
        return true;
      }
      case 'GET /v1/faults':
        sendJson(res, 200, { rules: sim.faults.list() });
        return true;
      case 'POST /v1/faults': {
        const body = await readJson(req);
        const rules = Array.isArray((body as { rules?: unknown })?.rules) ? (body as { rules: unknown[] }).rules : [body];
        for (const r of rules) sim.faults.add(parse(FaultRuleSchema, r, 'fault rule'));
        sendJson(res, 200, { rules: sim.faults.list() });
        return true;
      }
      case 'DELETE /v1/faults':
        sim.faults.clear();
        sendJson(res, 200, { rules: [] });
        return true;
      case 'GET /v1/scenarios':
        sendJson(res, 200, SCENARIOS.map((s) => ({ name: s.name, namespace: s.namespace, deployment: s.deployment, expect: s.expect, description: s.description, loaded: sim.loadedScenarios.has(s.name) })));
        return true;
      case 'POST /v1/compact': {
        const { resourceVersion } = parse(CompactSchema, await readJson(req), 'compaction request');
        sim.store.compact(resourceVersion ?? sim.store.resourceVersion);
        sendJson(res, 200, { compactedTo: resourceVersion ?? sim.store.resourceVersion });
        return true;
      }
      case 'POST /v1/watches/end':
        sendJson(res, 200, { ended: sim.store.endWatches() });
        return true;
      default:
        return false;
    }
  };
}

function booleanParam(params: URLSearchParams, name: string): boolean {
  const v = params.get(name);
  if (v === null || v === '' || v === 'false') return false;
  if (v === 'true') return true;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}, expected true or false`);
}

async function putPodLog(sim: KubeSimulator, namespace: string, name: string, req: IncomingMessage) {
  const params = new URL(req.url ?? '/', 'http://sim').searchParams;
  const previous = booleanParam(params, 'previous');
  const timestamps = booleanParam(params, 'timestamps');
  const pod = sim.store.mustGet(resourceOfKind('Pod'), namespace, name);
  const container = resolveContainer(pod, params.get('container') ?? undefined);
  const text = await readBody(req);
  const raw = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const now = sim.clock.nowMs();
  const lines: LogLine[] = raw.map((line, i) => {
    if (!timestamps) return { time: now, text: line };
    const m = TIMESTAMPED.exec(line);
    const time = m ? Date.parse(m[1]!) : NaN;
    if (!m || Number.isNaN(time)) throw badRequest(`invalid log line ${i + 1}: with timestamps=true every line must start with an RFC 3339 time and a space`);
    return { time, text: m[2]! };
  });
  sim.logs.replace(namespace, name, container, previous, lines);
  return { namespace, pod: name, container, previous, lines: lines.length };
}

function clockState(sim: KubeSimulator) {
  return { now: sim.clock.now().toISOString(), mode: sim.clock.mode, scale: sim.clock.scale };
}
