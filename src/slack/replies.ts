import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { Chat } from '../ports.js';
import type { SlackMessage } from './blocks/types.js';

/** Where a command's answer goes: the Chat port, in Slack's blocks. */
export type ReplyChannel = Chat<SlackMessage>;

/** Slack errors meaning "you cannot post here" rather than "try again". */
const CANNOT_POST = new Set(['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action']);

function slackError(e: unknown): string | undefined {
  return (e as { data?: { error?: string } })?.data?.error;
}

/**
 * Replies through the Web API (chat.postMessage, then chat.update of that
 * message), falling back to the command's response_url when the bot may not
 * post in the channel. WebClient retries 429s itself; anything else is logged.
 */
export function replyChannel(opts: { client: WebClient; respond: RespondFn; channelId: string; threadTs?: string; log: Logger }): ReplyChannel {
  const { client, respond, channelId, threadTs, log } = opts;
  let ts: string | undefined;
  let viaResponseUrl = false;
  return {
    async ephemeral(message) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
    },
    async post(message) {
      try {
        const res = await client.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) });
        ts = res.ts;
        return ts;
      } catch (e) {
        const error = slackError(e);
        if (!error || !CANNOT_POST.has(error)) throw e;
        log.warn({ channel: channelId, error }, 'cannot post in the channel; answering through the response_url instead');
        viaResponseUrl = true;
        await respond({ response_type: 'in_channel', replace_original: false, text: message.text, blocks: message.blocks });
        return undefined;
      }
    },
    async update(message) {
      if (viaResponseUrl) {
        await respond({ response_type: 'in_channel', replace_original: true, text: message.text, blocks: message.blocks });
        return undefined;
      }
      if (!ts) return this.post(message);
      await client.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks });
      return ts;
    },
  };
}
