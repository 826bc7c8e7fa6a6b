import { toMedicError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Clock, LeaderLease, LeaderRecord } from '../ports.js';

export interface LeaderElectionOptions {
  /** This replica's name in the lock (the pod name). */
  identity: string;
  /** How long others wait after they last saw the record change before taking over (client-go: 15 s). */
  leaseDurationMs: number;
  /** A leader that has not renewed for this long stops leading (client-go: 10 s); shorter than the lease. */
  renewDeadlineMs: number;
  /** Between attempts to acquire or renew (client-go: 2 s). */
  retryPeriodMs: number;
}

/** What only the leader does (the watcher, timers, the outbox relay). */
export interface LeaderWork {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether this replica does the leader work now: checked before each piece of it. */
export interface Leadership {
  isLeader(): boolean;
  /** Stops leading (and competing); the work is stopped first. */
  stop(): Promise<void>;
}

type Attempt = { ok: true } | { ok: false; reason: string; retryInMs?: number };

/**
 * Leader election the way client-go's leaderelection package does it, on a lock with
 * optimistic concurrency (a Lease): every retry period, read the record; create it if
 * there is none; take it over if its holder is us, nobody, or someone whose lease ran out
 * (judged by when we last saw the record change, on our own clock, never by the times in
 * it); write it back at the version read, so of two replicas racing one wins.
 *
 * The leader renews every retry period. If no renewal succeeded for the renew deadline, a
 * timer stops the leader work even while a request hangs: that happens before the lease
 * can have run out for anyone else, since they wait the whole lease duration after seeing
 * our last renewal. A replica that cannot use its store (`canLead` fails) does not compete,
 * and a leader in that state stops its work and releases the lease so another takes over
 * at once. Unlike client-go, a replica that stopped leading stays a candidate.
 */
export class LeaderElector implements Leadership {
  private leading = false;
  private stopping = false;
  /** The record as last read, and when (our clock) we first saw it so. */
  private observed?: { record: LeaderRecord; at: number };
  private deadline?: NodeJS.Timeout;
  private wake?: () => void;
  private loop?: Promise<void>;
  /** Starts and stops of the work, one after another. */
  private transitions: Promise<void> = Promise.resolve();

  constructor(
    private readonly d: {
      lease: LeaderLease;
      clock: Clock;
      log: Logger;
      options: LeaderElectionOptions;
      work: LeaderWork;
      /** Rejects when this replica should not lead (its store is unreachable). */
      canLead?: () => Promise<void>;
    },
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder of the lock as last read (undefined before the first read or once released). */
  holder(): string | undefined {
    return this.observed?.record.holderIdentity || undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.leading) {
      this.stepDown('shutting down');
      await this.release();
    }
    await this.transitions;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const waitMs = await this.round();
      if (this.stopping) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One attempt to acquire or renew; how long to wait before the next. */
  private async round(): Promise<number> {
    const { retryPeriodMs } = this.d.options;
    const startedAt = this.d.clock.now().getTime();
    const unfit = await this.fitness();
    if (unfit) {
      if (this.leading) {
        this.stepDown(`this replica cannot lead: ${unfit}`);
        await this.release();
      }
      return retryPeriodMs;
    }
    const answered = await this.tryAcquireOrRenew(startedAt).catch((e: unknown): Attempt => ({ ok: false, reason: toMedicError(e).message }));
    // A write that took longer than the renew deadline may have landed after our own deadline stopped the work.
    const late = answered.ok && this.d.clock.now().getTime() - startedAt >= this.d.options.renewDeadlineMs;
    const attempt: Attempt = late ? { ok: false, reason: 'the lease write came back after the renew deadline' } : answered;
    if (attempt.ok) {
      if (!this.leading) this.becomeLeader();
      // Measured from before the request: others saw this renewal no earlier than that.
      this.armDeadline(startedAt);
      return retryPeriodMs;
    }
    if (this.leading) this.d.log.warn({ lease: this.d.lease.describe(), reason: attempt.reason }, 'could not renew the leader lease; retrying');
    return attempt.retryInMs === undefined ? retryPeriodMs : Math.min(retryPeriodMs, attempt.retryInMs);
  }

  /** Why this replica cannot lead now, if it cannot: `canLead` failed, or hung for half the renew deadline (a store behind a dead network). */
  private async fitness(): Promise<string | undefined> {
    if (!this.d.canLead) return undefined;
    const limitMs = this.d.options.renewDeadlineMs / 2;
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${limitMs} ms`), limitMs)));
    try {
      return await Promise.race([
        this.d.canLead().then(
          () => undefined,
          (e: unknown) => toMedicError(e).message,
        ),
        hung,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async tryAcquireOrRenew(nowMs: number): Promise<Attempt> {
    const { lease, options } = this.d;
    const now = new Date(nowMs);
    const desired: LeaderRecord = {
      holderIdentity: options.identity,
      // The Lease counts whole seconds: rounded up, so others never wait less than configured.
      leaseDurationSeconds: Math.ceil(options.leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaderTransitions: 0,
    };
    const current = await lease.get();
    if (!current) {
      await lease.create(desired);
      this.observed = { record: desired, at: nowMs };
      return { ok: true };
    }
    const old = current.record;
    if (!this.observed || !sameRecord(this.observed.record, old)) {
      if (old.holderIdentity !== this.observed?.record.holderIdentity && old.holderIdentity !== options.identity) {
        this.d.log.info({ lease: lease.describe(), holder: old.holderIdentity || null }, 'leader lease holder changed');
      }
      this.observed = { record: old, at: nowMs };
    }
    const expiresAt = this.observed.at + old.leaseDurationSeconds * 1000;
    if (old.holderIdentity && old.holderIdentity !== options.identity && expiresAt > nowMs) {
      this.stepDown(`the lease is held by ${old.holderIdentity}`);
      // Try again the moment it runs out, if that comes before the next retry.
      return { ok: false, reason: `held by ${old.holderIdentity}`, retryInMs: expiresAt - nowMs + 1 };
    }
    if (old.holderIdentity === options.identity) {
      desired.acquireTime = old.acquireTime;
      desired.leaderTransitions = old.leaderTransitions;
    } else {
      desired.leaderTransitions = old.leaderTransitions + 1;
    }
    await lease.update(desired, current.version);
    this.observed = { record: desired, at: nowMs };
    return { ok: true };
  }

  private becomeLeader(): void {
    this.leading = true;
    this.d.log.info({ lease: this.d.lease.describe(), identity: this.d.options.identity }, 'became the leader: starting the watcher, timers and outbox relay');
    this.transitions = this.transitions.then(() => (this.leading ? this.d.work.start() : undefined)).catch((err: unknown) => this.d.log.error({ err }, 'could not start the leader work'));
  }

  /** Leading ends synchronously (every piece of leader work checks isLeader); the work is then stopped. */
  private stepDown(reason: string): void {
    if (!this.leading) return;
    this.leading = false;
    clearTimeout(this.deadline);
    this.d.log.warn({ lease: this.d.lease.describe(), reason }, 'stopped leading: the watcher, timers and outbox relay stop');
    this.transitions = this.transitions.then(() => this.d.work.stop()).catch((err: unknown) => this.d.log.error({ err }, 'could not stop the leader work'));
  }

  private armDeadline(renewedAt: number): void {
    clearTimeout(this.deadline);
    const left = renewedAt + this.d.options.renewDeadlineMs - this.d.clock.now().getTime();
    this.deadline = setTimeout(() => this.stepDown(`no renewal within the renew deadline (${this.d.options.renewDeadlineMs} ms)`), Math.max(left, 0));
  }

  /** As client-go's ReleaseOnCancel: no holder and a one-second lease, so a standby takes over at its next attempt. */
  private async release(): Promise<void> {
    const { lease, clock, options } = this.d;
    try {
      const current = await lease.get();
      if (current?.record.holderIdentity !== options.identity) return;
      const now = clock.now();
      await lease.update({ holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: current.record.leaderTransitions }, current.version);
      this.observed = undefined;
      this.d.log.info({ lease: lease.describe() }, 'released the leader lease');
    } catch (err) {
      this.d.log.warn({ err, lease: lease.describe() }, 'could not release the leader lease; it runs out by itself');
    }
  }
}

function sameRecord(a: LeaderRecord, b: LeaderRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime.getTime() === b.acquireTime.getTime() &&
    a.renewTime.getTime() === b.renewTime.getTime() &&
    a.leaderTransitions === b.leaderTransitions
  );
}

/** One replica (SQLite): always the leader; the caller has started the work. */
export function soleReplica(work: LeaderWork): Leadership {
  return { isLeader: () => true, stop: () => work.stop() };
}
