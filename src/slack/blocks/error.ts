import { context, oneLine, section, slackMessage } from './build.js';
import { escapeMrkdwn } from './escape.js';
import { MAX_SECTION_TEXT, clipMrkdwn } from './limits.js';
import type { SlackMessage } from './types.js';

/**
 * A failure the user should read: what went wrong in bold, the specifics
 * (often the API's own words, so kept whole up to the limit), and what to
 * try next.
 */
export function errorMessage(headline: string, detail?: string, hint?: string): SlackMessage {
  const head = `❌ *${oneLine(headline, 300)}*`;
  const blocks = [
    section(detail ? `${head}\n${clipMrkdwn(escapeMrkdwn(detail), MAX_SECTION_TEXT - head.length - 1)}` : head),
    ...(hint ? [context(`💡 ${escapeMrkdwn(hint)}`)] : []),
  ];
  return slackMessage(detail ? `${headline}: ${detail}` : headline, blocks);
}
