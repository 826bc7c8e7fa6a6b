import { z } from 'zod';
import type { ResourceType } from '../resources.js';
import { StatusError, type StatusDetails, type StatusReason } from '../status-error.js';

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
    status: z.union([z.literal(409), z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(403)]).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** For watches: close the stream this long after it opens. */
    dropAfterMs: z.number().int().min(0).optional(),
    /** How many matching requests the rule applies to; unlimited when absent. */
    times: z.number().int().min(1).optional(),
    /** The Status message, instead of the one the apiserver would use for that code. */
    message: z.string().optional(),
    /** The user a 403 names ("User %q cannot list resource ..."). */
    user: z.string().optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof FaultRuleSchema>;

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  retryAfterSeconds?: number;
  dropAfterMs?: number;
  message?: string;
  user?: string;
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
        d.message = r.message;
        d.user = r.user;
      }
      if (r.dropAfterMs !== undefined) d.dropAfterMs = Math.min(d.dropAfterMs ?? Infinity, r.dropAfterMs);
    }
    return d;
  }
}

/** What a request looks like to the authorizer, for a 403's wording. */
export interface FaultTarget {
  method: string;
  watch: boolean;
  path: string;
  resource?: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function verbOf(t: FaultTarget): string {
  switch (t.method) {
    case 'GET':
      return t.watch ? 'watch' : t.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return t.name ? 'delete' : 'deletecollection';
    default:
      return t.method.toLowerCase();
  }
}

/**
 * The error an injected status answers with, worded as the apiserver words
 * that code: the RBAC authorizer's 403, the timeout filter's 504, and so on.
 */
export function faultError(d: FaultDecision & { status: number }, target: FaultTarget): StatusError {
  const retry: StatusDetails | undefined = d.retryAfterSeconds !== undefined ? { retryAfterSeconds: d.retryAfterSeconds } : undefined;
  const fail = (reason: StatusReason, message: string, details?: StatusDetails) => new StatusError(d.status, reason, d.message ?? message, details ?? retry);
  switch (d.status) {
    case 429:
      return fail('TooManyRequests', 'Too many requests, please try again later.');
    case 403: {
      const user = d.user ?? 'system:serviceaccount:deploy-medic:deploy-medic';
      const r = target.resource;
      if (!r) return fail('Forbidden', `forbidden: User ${JSON.stringify(user)} cannot ${verbOf(target)} path ${JSON.stringify(target.path)}`);
      const resource = target.subresource ? `${r.plural}/${target.subresource}` : r.plural;
      const scope = target.namespace ? `in the namespace ${JSON.stringify(target.namespace)}` : 'at the cluster scope';
      const why = `User ${JSON.stringify(user)} cannot ${verbOf(target)} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(r.group)} ${scope}`;
      const qualified = r.group ? `${r.plural}.${r.group}` : r.plural;
      return fail('Forbidden', target.name ? `${qualified} ${JSON.stringify(target.name)} is forbidden: ${why}` : `${qualified} is forbidden: ${why}`, {
        ...(target.name ? { name: target.name } : {}),
        ...(r.group ? { group: r.group } : {}),
        kind: r.plural,
      });
    }
    case 409: {
      // The optimistic-concurrency conflict an update or patch meets when the object moved on (StatusReasonConflict).
      const r = target.resource;
      const qualified = r ? (r.group ? `${r.plural}.${r.group}` : r.plural) : 'object';
      const details: StatusDetails = { ...(target.name ? { name: target.name } : {}), ...(r?.group ? { group: r.group } : {}), ...(r ? { kind: r.plural } : {}) };
      return fail('Conflict', `Operation cannot be fulfilled on ${qualified} ${JSON.stringify(target.name ?? '')}: the object has been modified; please apply your changes to the latest version and try again`, details);
    }
    case 503:
      return fail('ServiceUnavailable', 'the server is currently unable to handle the request');
    case 504:
      return fail('Timeout', 'Timeout: request did not complete within the requested timeout - context deadline exceeded');
    default:
      return fail('InternalError', `Internal error occurred: ${d.status === 502 ? 'bad gateway' : 'injected fault'}`);
  }
}
