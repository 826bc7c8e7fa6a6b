/**
 * PagerDuty's Events API limit: about 120 events per minute per routing key,
 * counted over the 60 seconds looking back from now.
 */
export class SlidingWindowLimit {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts the call and says whether it is within the limit; refused calls do not count. */
  admit(key: string): boolean {
    const now = this.now();
    const recent = (this.seen.get(key) ?? []).filter((t) => t > now - this.windowMs);
    const ok = recent.length < this.limit;
    if (ok) recent.push(now);
    this.seen.set(key, recent);
    return ok;
  }

  reset(): void {
    this.seen.clear();
  }
}
