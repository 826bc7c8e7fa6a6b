import { context, slackMessage } from './build.js';
import { escapeMrkdwn } from './escape.js';
import type { SlackMessage } from './types.js';

/**
 * The line shown while a command works, replaced by its answer:
 * "⏳ Diagnosing production/api-server…". Callers may or may not end with
 * an ellipsis; it is written exactly once.
 */
export function progressMessage(text: string): SlackMessage {
  const line = `⏳ ${text.trim().replace(/(…|\.\.\.)$/, '')}…`;
  return slackMessage(line, [context(escapeMrkdwn(line))]);
}
