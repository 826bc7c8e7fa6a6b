import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { SlackMessage } from './blocks/types.js';

/** Slack allows about one message per second per channel, with short bursts. */
const INTERVAL_MS = 1_000;
const BURST = 3;

type Job =
  | { kind: 'post'; message: SlackMessage; threadTs?: string; done: Array<(ts: string | undefined) => void>; fail: Array<(e: unknown) => void> }
  | { kind: 'update'; ts: string; message: SlackMessage; done: Array<(ts: string | undefined) => void>; fail: Array<(e: unknown) => void> };

interface Lane {
  jobs: Job[];
  running: boolean;
  /** Token bucket: calls may start while tokens last; one comes back per interval. */
  tokens: number;
  refilledAt: number;
}

/**
 * Posts and updates of one channel, one at a time and in order, within
 * Slack's per-channel rate: a thread reads in the order things happened, and
 * a 429 (which WebClient retries after Retry-After) holds the lane instead of
 * letting later messages overtake it. Updates of one message still waiting
 * are coalesced: only its latest version is sent. Nothing is dropped.
 */
export class ChannelQueues {
  private readonly lanes = new Map<string, Lane>();
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly client: WebClient,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  post(channel: string, message: SlackMessage, threadTs?: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => this.enqueue(channel, { kind: 'post', message, ...(threadTs ? { threadTs } : {}), done: [resolve], fail: [reject] }));
  }

  update(channel: string, ts: string, message: SlackMessage): Promise<string | undefined> {
    const lane = this.lane(channel);
    const waiting = lane.jobs.find((j): j is Extract<Job, { kind: 'update' }> => j.kind === 'update' && j.ts === ts);
    if (waiting) {
      waiting.message = message;
      return new Promise((resolve, reject) => {
        waiting.done.push(resolve);
        waiting.fail.push(reject);
      });
    }
    return new Promise((resolve, reject) => this.enqueue(channel, { kind: 'update', ts, message, done: [resolve], fail: [reject] }));
  }

  /** Calls waiting, over all channels: what /metrics shows as Slack backlog. */
  depth(): number {
    return [...this.lanes.values()].reduce((n, l) => n + l.jobs.length + (l.running ? 1 : 0), 0);
  }

  /**
   * Waits until every lane is empty, at most `ms`: a stopping process sends
   * what it still holds while Slack answers. Resolves with the calls left.
   */
  async settle(ms: number): Promise<number> {
    if (this.depth() > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.idleWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        this.idleWaiters.add(done);
      });
    }
    return this.depth();
  }

  private lane(channel: string): Lane {
    let lane = this.lanes.get(channel);
    if (!lane) {
      lane = { jobs: [], running: false, tokens: BURST, refilledAt: this.now() };
      this.lanes.set(channel, lane);
    }
    return lane;
  }

  private enqueue(channel: string, job: Job): void {
    const lane = this.lane(channel);
    lane.jobs.push(job);
    if (!lane.running) void this.drain(channel, lane);
  }

  private async drain(channel: string, lane: Lane): Promise<void> {
    lane.running = true;
    for (let job = lane.jobs.shift(); job; job = lane.jobs.shift()) {
      await this.takeToken(lane);
      try {
        const ts =
          job.kind === 'post'
            ? (await this.client.chat.postMessage({ channel, text: job.message.text, blocks: job.message.blocks, ...(job.threadTs ? { thread_ts: job.threadTs } : {}) })).ts
            : (await this.client.chat.update({ channel, ts: job.ts, text: job.message.text, blocks: job.message.blocks }), job.ts);
        for (const d of job.done) d(ts);
      } catch (e) {
        this.log.warn({ err: e, channel, kind: job.kind }, 'Slack refused a message after its retries');
        for (const f of job.fail) f(e);
      }
    }
    lane.running = false;
    if (this.depth() === 0) for (const idle of [...this.idleWaiters]) idle();
  }

  private async takeToken(lane: Lane): Promise<void> {
    const now = this.now();
    lane.tokens = Math.min(BURST, lane.tokens + Math.floor((now - lane.refilledAt) / INTERVAL_MS));
    lane.refilledAt += Math.floor((now - lane.refilledAt) / INTERVAL_MS) * INTERVAL_MS;
    if (lane.tokens === 0) {
      await new Promise((r) => setTimeout(r, INTERVAL_MS - (now - lane.refilledAt)));
      return this.takeToken(lane);
    }
    lane.tokens--;
  }
}
