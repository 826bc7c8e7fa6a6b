/**
 * The simulator's clock. Sim time either follows the wall clock (optionally
 * sped up) or stands still until told to advance; either way `advance` jumps
 * ahead, firing every timer that falls due in time order, so a ten-minute
 * progress deadline passes in milliseconds and a test sees the same history
 * every run.
 */
export type ClockMode = 'real' | 'manual';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export class SimClock {
  private anchorVirtual: number;
  private anchorWall = Date.now();
  private timers: Timer[] = [];
  private nextId = 1;
  private wallTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Called after each timer fires, so the world settles before time moves on. */
  afterFire: () => void = () => {};

  constructor(
    readonly mode: ClockMode,
    start: Date = new Date(),
    readonly scale = 1,
  ) {
    this.anchorVirtual = start.getTime();
  }

  nowMs(): number {
    if (this.mode === 'manual') return this.anchorVirtual;
    return Math.floor(this.anchorVirtual + (Date.now() - this.anchorWall) * this.scale);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** RFC 3339 at second precision, as Kubernetes serialises metav1.Time. */
  timestamp(ms = this.nowMs()): string {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  setTimer(delayMs: number, fn: () => void): number {
    const t: Timer = { id: this.nextId++, at: this.nowMs() + Math.max(0, delayMs), fn };
    // Keep timers ordered by due time, then creation order, for determinism.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > t.at) i--;
    this.timers.splice(i, 0, t);
    this.armWallTimer();
    return t.id;
  }

  clearTimer(id: number | undefined): void {
    if (id === undefined) return;
    const i = this.timers.findIndex((t) => t.id === id);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** When the earliest timer falls due (sim ms), if any. */
  nextDue(): number | undefined {
    return this.timers[0]?.at;
  }

  /** Jumps sim time forward by `ms`, firing due timers one by one at their own instants. */
  advance(ms: number): void {
    const target = this.nowMs() + ms;
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      if (next.at > this.nowMs()) this.setNow(next.at);
      next.fn();
      this.afterFire();
    }
    this.setNow(Math.max(target, this.nowMs()));
    this.armWallTimer();
  }

  stop(): void {
    this.stopped = true;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    this.timers = [];
  }

  private setNow(ms: number): void {
    this.anchorVirtual = ms;
    this.anchorWall = Date.now();
  }

  /** In real mode one wall-clock timeout tracks the earliest sim timer. */
  private armWallTimer(): void {
    if (this.mode !== 'real' || this.stopped) return;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    this.wallTimer = undefined;
    const next = this.timers[0];
    if (!next) return;
    const wallDelay = Math.max(0, (next.at - this.nowMs()) / this.scale);
    this.wallTimer = setTimeout(() => {
      this.wallTimer = undefined;
      this.advance(0);
    }, Math.min(wallDelay, 2 ** 31 - 1));
    this.wallTimer.unref();
  }
}
