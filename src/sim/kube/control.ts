import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { FaultRuleSchema } from './api/faults.js';
import { readJson, sendJson } from './api/http-util.js';
import type { ControlHandler } from './api/server.js';
import { SCENARIOS } from './catalog/scenarios.js';
import { badRequest } from './status-error.js';
import type { KubeSimulator } from './simulator.js';

const AdvanceSchema = z.object({ seconds: z.number().min(0).max(7 * 24 * 3600) }).strict();
const CompactSchema = z.object({ resourceVersion: z.number().int().min(0).optional() }).strict();

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw badRequest(`invalid ${what}: ${r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`);
  return r.data;
}

/**
 * The simulator's own API under /_sim/v1: move the clock, inject faults,
 * list scenarios, compact watch history. Not part of Kubernetes.
 */
export function controlHandler(sim: KubeSimulator): ControlHandler {
  return async (method: string, path: string, req: IncomingMessage, res: ServerResponse) => {
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
      default:
        return false;
    }
  };
}

function clockState(sim: KubeSimulator) {
  return { now: sim.clock.now().toISOString(), mode: sim.clock.mode, scale: sim.clock.scale };
}
