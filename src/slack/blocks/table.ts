import { escapeMrkdwn, fence } from './escape.js';
import { clipPlain, fitLines } from './limits.js';

/** Widest cell we print: pod names are at most 253 characters, and a table that wide does not read. */
const MAX_CELL = 80;

/** Width in characters as a monospace font shows them, near enough: code points, not UTF-16 units. */
const width = (s: string): number => [...s].length;

/**
 * Rows aligned the way kubectl prints tables (tabwriter, three spaces
 * between columns, the last column unpadded).
 */
export function alignColumns(rows: string[][]): string[] {
  const cells = rows.map((r) => r.map((c) => clipPlain(c.replace(/\s+/g, ' '), MAX_CELL)));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, width(c))));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c) + 3))).join('').trimEnd());
}

/**
 * A table in a code block within `budget` characters: the header row and as
 * many rows as fit, in the order given, re-aligned to the rows kept.
 * `hidden` counts the rows left out.
 */
export function codeTable(head: string[], rows: string[][], budget: number): { text: string; hidden: number } {
  const overhead = fence('').length;
  const all = alignColumns([head, ...rows]).map(escapeMrkdwn);
  const { kept } = fitLines(all, budget - overhead);
  const shown = Math.max(0, kept.length - 1);
  return { text: fence(alignColumns([head, ...rows.slice(0, shown)]).map(escapeMrkdwn).join('\n')), hidden: rows.length - shown };
}
