/**
 * Escaping for Slack mrkdwn. Slack reserves only &, < and > (every link,
 * mention and date is written `<…>`), so escaping those three keeps a
 * deployment name or a log line from becoming a mention or a link; the
 * renderers also set `verbatim: true` so bare URLs and #channels stay text.
 *
 * Slack has no escape for a backtick, and a "```" in a log line would open
 * or close a code block, so a zero-width space goes between adjacent
 * backticks: it looks the same and parses as text.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (c) => ENTITIES[c]!).replace(/`(?=`)/g, '`\u200b');
}

/**
 * `inline code`. A backtick would end the span, so it becomes the look-alike
 * U+02CB; newlines become spaces because a code span cannot hold one.
 */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, '\u02cb').replace(/\s*\n\s*/g, ' '))}\``;
}

/** A fenced code block around already-escaped lines. */
export function fence(escapedText: string): string {
  return `\`\`\`\n${escapedText}\n\`\`\``;
}

/**
 * A timestamp each reader sees in their own time zone (Slack's date
 * formatting), with the ISO text as the fallback for old clients.
 */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} at {time_secs}|${escapeMrkdwn(iso)}>`;
}

/**
 * A mention of a Slack user, only for something shaped like a user ID: a
 * forged "ID" such as "!channel" must not ping anyone.
 */
export function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}
