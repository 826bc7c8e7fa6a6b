/**
 * Per-route fault injection for the HTTPS listener: the next N requests, or
 * every request for a while, answer a bare 5xx, a 429 carrying Retry-After,
 * have their connection destroyed (`reset`), or are never answered (`stalled`).
 */

export type FaultRoute = 'enqueue' | 'oncalls' | 'incidents' | '*';
export const FAULT_ROUTES: readonly FaultRoute[] = ['enqueue', 'oncalls', 'incidents', '*'];

export type Fault =
  | { kind: 'status'; status: 500 | 502 | 503 | 504 }
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'reset' }
  | { kind: 'stalled' };

interface Window {
  route: FaultRoute;
  fault: Fault;
  until: number;
}

export class FaultPlan {
  private readonly queues = new Map<FaultRoute, Fault[]>();
  private windows: Window[] = [];

  constructor(private readonly now: () => number) {}

  failNext(route: FaultRoute, fault: Fault, times = 1): void {
    const queue = this.queues.get(route) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.queues.set(route, queue);
  }

  failFor(route: FaultRoute, fault: Fault, ms: number): void {
    this.windows.push({ route, fault, until: this.now() + ms });
  }

  clear(): void {
    this.queues.clear();
    this.windows = [];
  }

  /** The fault for this request, if any: queued ones first (each used once), then open windows. */
  take(route: Exclude<FaultRoute, '*'>): Fault | undefined {
    for (const r of [route, '*'] as const) {
      const queued = this.queues.get(r)?.shift();
      if (queued) return queued;
    }
    const now = this.now();
    this.windows = this.windows.filter((w) => w.until > now);
    return this.windows.find((w) => w.route === route || w.route === '*')?.fault;
  }
}
