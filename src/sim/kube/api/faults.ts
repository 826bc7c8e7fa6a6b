import { z } from 'zod';

/**
 * Fault injection for reliability tests, chosen per route: requests whose
 * method and path match a rule get added latency, an error status, or (for
 * watches) a connection dropped after a while.
 */
export const FaultRuleSchema = z
  .object({
    /** Regular expression tested against the request path, e.g. "/pods$" or "/namespaces/production/". */
    path: z.string().default('.*'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    /** Only watch requests (?watch=true), or only non-watch requests. */
    watch: z.boolean().optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(403)]).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** For watches: close the stream this long after it opens. */
    dropAfterMs: z.number().int().min(0).optional(),
    /** How many matching requests the rule applies to; unlimited when absent. */
    times: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof FaultRuleSchema>;

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  retryAfterSeconds?: number;
  dropAfterMs?: number;
}

export class FaultInjector {
  private rules: Array<FaultRule & { re: RegExp; used: number }> = [];

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, re: new RegExp(r.path), used: 0 }));
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, re: new RegExp(rule.path), used: 0 });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map(({ re: _re, used: _used, ...r }) => r);
  }

  /** The combined effect of every rule matching this request; consumes their `times`. */
  decide(method: string, path: string, watch: boolean): FaultDecision {
    const d: FaultDecision = { latencyMs: 0 };
    for (const r of this.rules) {
      if (r.method && r.method !== method) continue;
      if (r.watch !== undefined && r.watch !== watch) continue;
      if (!r.re.test(path)) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      r.used++;
      d.latencyMs += r.latencyMs ?? 0;
      if (r.status && d.status === undefined) {
        d.status = r.status;
        d.retryAfterSeconds = r.retryAfterSeconds;
      }
      if (r.dropAfterMs !== undefined) d.dropAfterMs = Math.min(d.dropAfterMs ?? Infinity, r.dropAfterMs);
    }
    return d;
  }
}
