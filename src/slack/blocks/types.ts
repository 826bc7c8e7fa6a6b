import type { KnownBlock } from '@slack/types';

/** What a renderer returns and a listener posts (chat.postMessage, chat.update, respond). */
export interface SlackMessage {
  /** Notification and screen-reader fallback: plain words, already escaped for mrkdwn. */
  text: string;
  blocks: KnownBlock[];
}
