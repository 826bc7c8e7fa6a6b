import { FINDING_CODES } from '../../src/domain/finding.js';
import type { DispatchResult } from '../../src/sim/slack/dispatch.js';
import type { EphemeralMessage, StoredMessage } from '../../src/sim/slack/types.js';
import type { BotFixture } from './bot.js';
import { visibleText } from './slack.js';

export interface Answer {
  dispatch: DispatchResult;
  /** The in-channel message the command posted, in its final version (progress replaced). */
  message?: StoredMessage;
  /** What only the requester saw. */
  ephemeral?: EphemeralMessage;
  text: string;
}

const isProgress = (m: StoredMessage) => visibleText(m).startsWith('⏳');

/** Runs `/deploy TEXT` as USER in CHANNEL and waits for its final answer, in the channel or only to the user. */
export async function deploy(b: Pick<BotFixture, 'slack'>, text: string, userId = 'U0ALICE', channelId = 'C0PROD'): Promise<Answer> {
  const before = b.slack.messages(channelId).length;
  const ephBefore = b.slack.ephemerals({ userId }).length;
  const dispatch = await b.slack.slashCommand({ command: '/deploy', text, userId, channelId });
  return b.slack.waitFor(
    () => {
      const message = b.slack.messages(channelId).slice(before).find((m) => !isProgress(m));
      const ephemeral = b.slack.ephemerals({ userId }).slice(ephBefore)[0];
      if (message) return { dispatch, message, text: visibleText(message) };
      if (ephemeral) return { dispatch, ephemeral, text: visibleText(ephemeral) };
      return undefined;
    },
    { timeoutMs: 30_000, description: `the answer to /deploy ${text.slice(0, 60)}` },
  );
}

/** Presses a button of `message` and waits for the answer posted in its thread (or shown to the user). */
export async function press(b: BotFixture, message: StoredMessage, actionId: string, userId = 'U0ALICE', channelId = 'C0PROD'): Promise<Answer> {
  const threadTs = message.thread_ts ?? message.ts;
  const before = b.slack.thread(channelId, threadTs).length;
  const ephBefore = b.slack.ephemerals({ userId }).length;
  const dispatch = await b.slack.clickButton({ userId, channelId, messageTs: message.ts, actionId });
  return b.slack.waitFor(
    () => {
      const reply = b.slack.thread(channelId, threadTs).slice(before).find((m) => m.ts !== threadTs && !isProgress(m));
      const ephemeral = b.slack.ephemerals({ userId }).slice(ephBefore)[0];
      if (reply) return { dispatch, message: reply, text: visibleText(reply) };
      if (ephemeral) return { dispatch, ephemeral, text: visibleText(ephemeral) };
      return undefined;
    },
    { timeoutMs: 30_000, description: `the answer to button ${actionId}` },
  );
}

/** The finding codes a message shows, in order of first appearance. */
export function codesIn(text: string): string[] {
  const codes: readonly string[] = FINDING_CODES;
  const seen: string[] = [];
  for (const m of text.matchAll(/\b[A-Z]+(?:_[A-Z]+)*\b/g)) if (codes.includes(m[0]) && !seen.includes(m[0])) seen.push(m[0]);
  return seen;
}

/** Action IDs of the buttons on a message. */
export function buttonsOf(message: StoredMessage): Array<{ actionId: string; text: string }> {
  const out: Array<{ actionId: string; text: string }> = [];
  for (const block of (message.blocks ?? []) as Array<{ type: string; elements?: Array<{ type: string; action_id?: string; text?: { text: string } }> }>) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements ?? []) if (el.type === 'button' && el.action_id) out.push({ actionId: el.action_id, text: el.text?.text ?? '' });
  }
  return out;
}
