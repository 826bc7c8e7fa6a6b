import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { event } from '@pagerduty/pdjs';
import { networkErrorCode } from '../../errors.js';
import type { PagerDelivery, PagerEvent, Pager } from '../../ports.js';

const TIMEOUT_MS = 10_000;

/**
 * PagerDuty Events API v2 through pdjs. pdjs speaks HTTPS only and its
 * `requestTimeout` does not abort a request, so each call carries its own
 * AbortSignal; a private CA (PAGERDUTY_CA_FILE) rides on an https.Agent,
 * which pdjs hands to its fetch untouched. pdjs retries a 429 by itself; the
 * outbox relay decides everything else from the answer.
 */
export class PagerDutyEvents implements Pager {
  private readonly server: string;
  private readonly agent?: Agent;

  private readonly timeoutMs: number;

  constructor(opts: { eventsUrl: string; caFile?: string; timeoutMs?: number }) {
    this.server = new URL(opts.eventsUrl).host;
    if (opts.caFile) this.agent = new Agent({ ca: readFileSync(opts.caFile), keepAlive: true });
    this.timeoutMs = opts.timeoutMs ?? TIMEOUT_MS;
  }

  async send(e: PagerEvent): Promise<PagerDelivery> {
    // Acknowledge and resolve name the alert by dedup_key alone; pdjs's type insists on a payload.
    const data = {
      routing_key: e.routingKey,
      event_action: e.action,
      dedup_key: e.dedupKey,
      ...(e.payload ? { payload: e.payload } : {}),
      ...(e.links?.length ? { links: e.links } : {}),
    } as Parameters<typeof event>[0]['data'];
    try {
      const res = await event({ server: this.server, data, signal: AbortSignal.timeout(this.timeoutMs), retryTimeout: 1_000, ...(this.agent ? ({ agent: this.agent } as object) : {}) });
      const status = res.status;
      const body = res.data as { message?: string; errors?: string[] } | undefined;
      if (status === 202) return { outcome: 'delivered', status };
      const detail = [body?.message, ...(body?.errors ?? [])].filter(Boolean).join(': ') || `HTTP ${status}`;
      // A 400 is our event's fault and never succeeds on a retry; 429 and 5xx may.
      return status >= 400 && status < 500 && status !== 429 ? { outcome: 'rejected', status, detail } : { outcome: 'retry', status, detail };
    } catch (err) {
      const code = networkErrorCode(err) ?? (err as { type?: string; name?: string }).type ?? (err as Error).name;
      return { outcome: 'retry', detail: `PagerDuty did not answer (${code}): ${(err as Error).message}` };
    }
  }
}
