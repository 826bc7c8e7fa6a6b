/**
 * A version number of the playground's world (Slack, PagerDuty, the cluster):
 * the console long-polls it, so the page changes as soon as anything does
 * instead of on a timer. Bursts (a rollout writes many pod statuses) are
 * coalesced into one wake-up.
 */
export class ChangeFeed {
  private version = 0;
  private readonly waiters = new Set<() => void>();
  private pending?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly coalesceMs = 150) {}

  get current(): number {
    return this.version;
  }

  readonly bump = (): void => {
    this.version++;
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      for (const wake of [...this.waiters]) wake();
    }, this.coalesceMs).unref();
  };

  /** Resolves once the version differs from `since`, or after `timeoutMs` with the version as it is. */
  wait(since: number, timeoutMs: number): Promise<number> {
    if (since !== this.version || this.closed) return Promise.resolve(this.version);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve(this.version);
      };
      // A poll left open must not keep a stopping process alive.
      const timer = setTimeout(done, timeoutMs).unref();
      this.waiters.add(done);
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.pending);
    for (const wake of [...this.waiters]) wake();
  }
}
