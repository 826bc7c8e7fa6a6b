/**
 * Per-method fault injection: the next N calls of a Web API method (or of the
 * response_url endpoint, key `response_url`) fail with a Slack error code, an
 * HTTP 429 carrying Retry-After, or a bare 5xx.
 */
export type FaultSpec =
  | string
  | { status: 429; retryAfterSeconds: number }
  | { status: 500 | 502 | 503 | 504 };

export type Fault =
  | { kind: 'error'; error: string }
  | { kind: 'ratelimited'; retryAfterSeconds: number }
  | { kind: 'http'; status: number };

export class FaultPlan {
  private readonly queues = new Map<string, Fault[]>();

  failNext(method: string, spec: FaultSpec, times = 1): void {
    const fault: Fault =
      typeof spec === 'string'
        ? { kind: 'error', error: spec }
        : spec.status === 429
          ? { kind: 'ratelimited', retryAfterSeconds: spec.retryAfterSeconds }
          : { kind: 'http', status: spec.status };
    const queue = this.queues.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.queues.set(method, queue);
  }

  /** The fault for this call, if one is queued; each queued fault is used once. */
  take(method: string): Fault | undefined {
    return this.queues.get(method)?.shift();
  }
}
