import { MedicError } from '../errors.js';

/** Longest slash-command text we parse; Slack allows more, nobody types more. */
export const MAX_COMMAND_TEXT = 2000;

/**
 * Splits slash-command text into arguments like a shell would for simple
 * cases: whitespace separates, single or double quotes group, Slack's
 * auto-formatting (smart quotes, <mailto:…|…> links) is undone first.
 */
export function tokenize(text: string): string[] {
  if (text.length > MAX_COMMAND_TEXT) {
    throw new MedicError('USAGE', `that command is ${text.length} characters long; the limit is ${MAX_COMMAND_TEXT}`);
  }
  const normalized = text
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u2013\u2014]/g, '--') // Slack turns "--" into an en or em dash in some clients
    .replace(/<[^|>]+\|([^>]+)>/g, '$1')
    .replace(/<([^>]+)>/g, '$1');
  const tokens: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let started = false;
  for (const ch of normalized) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) tokens.push(cur);
      cur = '';
      started = false;
    } else {
      cur += ch;
      started = true;
    }
  }
  if (quote) throw new MedicError('USAGE', `unterminated ${quote} quote`);
  if (started) tokens.push(cur);
  return tokens;
}
