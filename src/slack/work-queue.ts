/**
 * Work after the ack runs through a bounded queue: a burst of commands (an
 * incident channel all typing /deploy status) then cannot starve the HTTP
 * listener of the CPU it needs to ack the next one within Slack's 3 seconds,
 * nor stampede the Kubernetes API server.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly concurrency: number) {}

  private readonly idleWaiters: Array<() => void> = [];

  /** Starts `job` when a slot is free; never rejects (jobs handle their own errors). */
  run(job: () => Promise<void>): void {
    const start = () => {
      this.running++;
      void job().finally(() => {
        this.running--;
        this.waiting.shift()?.();
        if (this.running === 0 && this.waiting.length === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
    };
    if (this.running < this.concurrency) start();
    else this.waiting.push(start);
  }

  /** Resolves when every started and queued job has finished (shutdown: before the store closes under them). */
  idle(): Promise<void> {
    if (this.running === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
