import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { SlackMessage } from './blocks/types.js';

/** Where a command's answer goes: one in-channel message updated in place, or a note to the requester only. */
export interface ReplyChannel {
  ephemeral(message: SlackMessage): Promise<void>;
  /** Posts a message visible to the channel; later `update`s replace it. */
  post(message: SlackMessage): Promise<void>;
  update(message: SlackMessage): Promise<void>;
}

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
      } catch (e) {
        const error = slackError(e);
        if (!error || !CANNOT_POST.has(error)) throw e;
        log.warn({ channel: channelId, error }, 'cannot post in the channel; answering through the response_url instead');
        viaResponseUrl = true;
        await respond({ response_type: 'in_channel', replace_original: false, text: message.text, blocks: message.blocks });
      }
    },
    async update(message) {
      if (viaResponseUrl) {
        await respond({ response_type: 'in_channel', replace_original: true, text: message.text, blocks: message.blocks });
      } else if (ts) {
        await client.chat.update({ channel: channelId, ts, text: message.text, blocks: message.blocks });
      } else {
        await this.post(message);
      }
    },
  };
}
