import type { KnownBlock } from '@slack/types';
import { inlineCode } from './escape.js';

/**
 * Slack's Block Kit limits (docs.slack.dev/reference/block-kit). Lengths here
 * are UTF-16 code units (String#length); Slack counts characters, of which
 * there are never more, so staying within these stays within Slack's.
 */
export const MAX_BLOCKS = 50;
export const MAX_SECTION_TEXT = 3000;
export const MAX_CONTEXT_TEXT = 3000;
export const MAX_HEADER_TEXT = 150;
export const MAX_BUTTON_TEXT = 75;
export const MAX_BUTTON_VALUE = 2000;
export const MAX_CONTEXT_ELEMENTS = 10;
export const MAX_ACTIONS_ELEMENTS = 25;
/** Ours, not Slack's (40,000): a notification nobody reads past a paragraph. */
export const MAX_FALLBACK_TEXT = 1000;

export const ELLIPSIS = '…';
const FENCE = '```';

/** Where to cut so that a surrogate pair (an emoji, say) stays whole. */
function safeCut(text: string, end: number): number {
  const c = text.charCodeAt(end - 1);
  return c >= 0xd800 && c <= 0xdbff ? end - 1 : end;
}

/** Plain text (headers, buttons) cut to `max` with an ellipsis. */
export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, safeCut(text, max - ELLIPSIS.length)) + ELLIPSIS;
}

/**
 * mrkdwn cut to `max` with an ellipsis, never inside a surrogate pair, an
 * &entity; or a run of backticks, and closing a ``` fence the cut left open.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  const closing = `\n${FENCE}`;
  let end = safeCut(text, max - ELLIPSIS.length - closing.length);
  while (end > 0 && text[end - 1] === '`' && text[end] === '`') end--;
  const amp = text.lastIndexOf('&', end - 1);
  if (amp >= 0 && /^&(amp|lt|gt);/.test(text.slice(amp, amp + 5)) && text.indexOf(';', amp) >= end) end = amp;
  const kept = text.slice(0, end);
  const open = (kept.split(FENCE).length - 1) % 2 === 1;
  return kept + ELLIPSIS + (open ? closing : '');
}

/**
 * As many whole lines as fit in `budget` characters joined by newlines, from
 * the start (tables, lists) or from the end (logs, where the last lines
 * explain the crash); `hidden` counts the rest.
 */
export function fitLines(lines: string[], budget: number, from: 'start' | 'end' = 'start'): { kept: string[]; hidden: number } {
  const ordered = from === 'start' ? lines : [...lines].reverse();
  const kept: string[] = [];
  let used = -1;
  for (const line of ordered) {
    if (used + 1 + line.length > budget) break;
    used += 1 + line.length;
    kept.push(line);
  }
  if (from === 'end') kept.reverse();
  return { kept, hidden: lines.length - kept.length };
}

/** "1 finding", "3 findings". */
export const countOf = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Blocks that stand or fall together, e.g. one finding's section and its log. */
export interface BlockGroup {
  blocks: KnownBlock[];
  /** 0 is kept whatever it costs; among the rest, higher numbers are dropped first. */
  priority: number;
}

/**
 * Fits a message into Slack's 50 blocks: drops whole groups, least important
 * (then latest) first, and puts one line in the first gap saying how many
 * are missing and where to see them.
 */
export function fitBlocks(groups: BlockGroup[], say: { one: string; many?: string; cli?: string }, max = MAX_BLOCKS): KnownBlock[] {
  const count = (gs: BlockGroup[]) => gs.reduce((n, g) => n + g.blocks.length, 0);
  if (count(groups) <= max) return groups.flatMap((g) => g.blocks);
  const dropOrder = groups.map((g, i) => ({ g, i })).sort((a, b) => b.g.priority - a.g.priority || b.i - a.i);
  const dropped = new Set<number>();
  let total = count(groups);
  for (const { g, i } of dropOrder) {
    if (total + 1 <= max) break;
    dropped.add(i);
    total -= g.blocks.length;
  }
  const firstDropped = Math.min(...dropped);
  const cli = say.cli ? `: ${inlineCode(say.cli)}` : '';
  const note: KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: clipMrkdwn(`${ELLIPSIS}${countOf(dropped.size, `more ${say.one}`, `more ${say.many ?? `${say.one}s`}`)} not shown; use the CLI for everything${cli}`, MAX_CONTEXT_TEXT), verbatim: true }],
  };
  return groups.flatMap((g, i) => (i === firstDropped ? [note] : dropped.has(i) ? [] : g.blocks));
}
