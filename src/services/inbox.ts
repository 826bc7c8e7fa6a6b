import { createHash } from 'node:crypto';
import type { Clock, InboxEntry, InboxKind, Store } from '../ports.js';

/**
 * How long a delivery stays with the process that claimed it without being
 * renewed; a live process renews its own every third of it, so a killed one's
 * are taken over (replayed) by another process this long after it died.
 */
const HANDLING_LEASE_MS = 15_000;

/**
 * Nothing Slack got a 200 for is lost: each delivery is written to the store
 * before the 200 and claimed by the process handling it; one that dies
 * before marking it handled leaves it, once its lease runs out, to whichever
 * process looks next (the same or another replica, or the next start). A
 * delivery sent twice is recorded, and handled, once.
 */
export class Inbox {
  private renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly holder: string,
  ) {}

  /** Keeps this process's claimed deliveries (queued or being handled) its own while it lives. */
  startRenewing(onError: (err: unknown) => void): void {
    this.renewal ??= setInterval(() => void this.renew().catch(onError), HANDLING_LEASE_MS / 3);
    this.renewal.unref();
  }

  stopRenewing(): void {
    clearInterval(this.renewal);
    this.renewal = undefined;
  }

  async renew(): Promise<void> {
    await this.store.renewDeliveries(this.lease());
  }

  private lease() {
    return { holder: this.holder, now: this.clock.now(), leaseMs: HANDLING_LEASE_MS };
  }

  /** Slack's trigger_id is unique per invocation; a payload without one is known by its content. */
  static deliveryId(body: Record<string, unknown>): string {
    const trigger = body.trigger_id;
    return typeof trigger === 'string' && trigger ? `trigger:${trigger}` : `sha256:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`;
  }

  static kindOf(body: Record<string, unknown>): InboxKind {
    return typeof body.command === 'string' ? 'command' : 'action';
  }

  /** Records and claims a delivery: its id when this process should handle it, undefined for a duplicate. */
  async accept(body: Record<string, unknown>): Promise<string | undefined> {
    const id = Inbox.deliveryId(body);
    const now = this.clock.now();
    if (!(await this.store.recordDelivery({ id, kind: Inbox.kindOf(body), payload: body, receivedAt: now }))) return undefined;
    return (await this.store.claimDelivery(id, { holder: this.holder, now, leaseMs: HANDLING_LEASE_MS })) ? id : undefined;
  }

  async handled(id: string): Promise<void> {
    await this.store.markHandled(id, this.clock.now());
  }

  /** Deliveries a stopped process acknowledged but never finished (its lease ran out), oldest first, now claimed by this one. */
  unfinished(limit = 100): Promise<InboxEntry[]> {
    return this.store.claimUnhandled(this.lease(), limit);
  }
}
