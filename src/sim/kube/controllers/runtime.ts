import type { Logger } from 'pino';

/**
 * One work queue for every in-process controller. Keys are deduplicated (a
 * burst of pod updates syncs a ReplicaSet once) and the queue drains to
 * quiescence on the next tick, or at once when the clock asks before moving on.
 */
export class ControllerRuntime {
  private readonly pending = new Map<string, () => void>();
  private readonly inflight = new Set<Promise<unknown>>();
  private scheduled = false;
  private draining = false;

  constructor(private readonly log?: Logger) {}

  enqueue(key: string, reconcile: () => void): void {
    if (!this.pending.has(key)) this.pending.set(key, reconcile);
    if (!this.scheduled && !this.draining) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.drain();
      });
    }
  }

  /** Work that finishes outside the queue (an image pull against a real registry). */
  track(work: Promise<unknown>): void {
    const p = work.finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** Drains the queue and waits for tracked work, until both are empty. */
  async settle(): Promise<void> {
    for (;;) {
      this.drain();
      if (!this.inflight.size) return;
      await Promise.race(this.inflight);
    }
  }

  drain(): void {
    if (this.draining) return;
    this.draining = true;
    let steps = 0;
    try {
      for (const [key, reconcile] of this.pending) {
        this.pending.delete(key);
        try {
          reconcile();
        } catch (err) {
          this.log?.warn({ err, key }, 'simulated controller failed to reconcile');
        }
        // A controller fighting itself would spin forever; real controllers rate-limit instead.
        if (++steps > 1_000_000) throw new Error(`controller queue did not settle (last key ${key})`);
      }
    } finally {
      this.draining = false;
    }
  }
}
