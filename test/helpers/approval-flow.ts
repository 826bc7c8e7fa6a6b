import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { EphemeralMessage, StoredMessage } from '../../src/sim/slack/types.js';
import type { BotFixture } from './bot.js';
import { visibleText } from './slack.js';

/**
 * Steps of the approval flow as a person takes them in Slack, for tests
 * that drive the bot through the emulator and the simulated cluster.
 */

/** Clicks a button of a message (or an ephemeral) as a user and waits for the bot's private answer. */
export async function clickForAnswer(b: BotFixture, m: { ts: string }, actionId: string, userId: string, channelId = 'C0PROD'): Promise<EphemeralMessage> {
  const before = b.slack.ephemerals({ userId }).length;
  await b.slack.clickButton({ userId, channelId, messageTs: m.ts, actionId });
  return b.slack.waitFor(() => b.slack.ephemerals({ userId })[before], { description: `${userId}'s answer to ${actionId}` });
}

/** Moves the simulated cluster (and a bot on its clock) on until the thread has a message matching `pattern`. */
export async function untilThreadSays(b: BotFixture, threadTs: string, pattern: RegExp, opts: { stepMs?: number; timeoutMs?: number; channelId?: string } = {}): Promise<StoredMessage> {
  const { stepMs = 5_000, timeoutMs = 60_000, channelId = 'C0PROD' } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = b.slack.thread(channelId, threadTs).find((m) => m.ts !== threadTs && pattern.test(visibleText(m)));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no thread message matching ${pattern}: ${threadText(b, threadTs, channelId)}`);
    b.sim.sim.advance(stepMs);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Everything said in a proposal's thread (card excluded), one message per line. */
export const threadText = (b: BotFixture, threadTs: string, channelId = 'C0PROD'): string =>
  b.slack
    .thread(channelId, threadTs)
    .filter((m) => m.ts !== threadTs)
    .map(visibleText)
    .join('\n');

/** The card as it is now (it is updated in place). */
export const cardNow = (b: BotFixture, ts: string, channelId = 'C0PROD'): StoredMessage => b.slack.messages(channelId).find((m) => m.ts === ts)!;

export async function deploymentOf(b: BotFixture, name: string, namespace = 'production'): Promise<Deployment> {
  return JSON.parse(await b.sim.kubectl.ok('get', 'deployment', name, '-n', namespace, '-o', 'json')) as Deployment;
}

/** What "patched exactly once" and "untouched" are judged by: the spec's generation, the revision, the images. */
export async function specFacts(b: BotFixture, name: string, namespace = 'production') {
  const d = await deploymentOf(b, name, namespace);
  return {
    generation: d.metadata?.generation,
    revision: d.metadata?.annotations?.['deployment.kubernetes.io/revision'],
    images: (d.spec?.template?.spec?.containers ?? []).map((c) => c.image),
  };
}

/** Waits (real time) for a condition the bot reaches by itself, such as its next housekeeping tick. */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
