import type { FindingCode } from '../finding.js';

/**
 * Why an application exited, read from its own output. Pure: lines in,
 * a cause and the few lines that show it out. Lines are quoted exactly as
 * given (the collector has already redacted them); nothing is rewritten.
 */
export type LogCause = Extract<FindingCode, 'APP_MISSING_DEPENDENCY' | 'APP_CONFIG_DNS_ERROR' | 'APP_CONNECTION_REFUSED' | 'APP_MIGRATION_FAILED'>;

export interface LogClassification {
  /** Undefined when the output names no known cause: a plain crash. */
  cause?: LogCause;
  /** The line that shows the cause (or the exception), as given. */
  text: string;
  /** That line with a little context, in log order. */
  excerpt: string[];
}

/**
 * Checked in this order: a missing module or an unresolvable host is the
 * reason a later "connection refused" or "migration failed" line appears,
 * never the other way round.
 */
const CAUSES: Array<[LogCause, RegExp]> = [
  [
    'APP_MISSING_DEPENDENCY',
    /Cannot find module|Cannot find package|ERR_MODULE_NOT_FOUND|ModuleNotFoundError|\bImportError\b|ClassNotFoundException|NoClassDefFoundError|error while loading shared libraries|cannot open shared object file/,
  ],
  [
    'APP_CONFIG_DNS_ERROR',
    /getaddrinfo (?:ENOTFOUND|EAI_AGAIN)|no such host|UnknownHostException|Name or service not known|could not translate host name|Temporary failure in name resolution|nodename nor servname provided/i,
  ],
  ['APP_CONNECTION_REFUSED', /ECONNREFUSED|connection refused/i],
  [
    'APP_MIGRATION_FAILED',
    /Flyway\w*Exception|liquibase\.exception|alembic\.util\.exc|\bmigration\b.*\bfail(?:ed|ure)\b|\bfailed\b.*\bmigrat(?:e|ion)\b/i,
  ],
];

/** The line a plain crash is about: the first exception, error or panic. */
const EXCEPTION = /\b\w*(?:Exception|Error)\b|\bFATAL\b|\bFatal\b|^panic:|^Traceback \(most recent call last\)/;
const DETAIL = /^\s*(?:Caused by:|Message\s*:|Require stack:)/;
const NOISE = /^\s*$|^\s*[-=^}{]+\s*$/;
const MAX_EXCERPT = 6;

export function classifyLog(lines: string[]): LogClassification | undefined {
  for (const [cause, re] of CAUSES) {
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0) return { cause, text: lines[i]!, excerpt: excerpt(lines, i) };
  }
  const i = lines.findIndex((l) => EXCEPTION.test(l));
  if (i >= 0) return { text: lines[i]!, excerpt: excerpt(lines, i) };
  const tail = lines.filter((l) => !NOISE.test(l)).slice(-MAX_EXCERPT + 1);
  return tail.length ? { text: tail.at(-1)!, excerpt: tail } : undefined;
}

/**
 * The cause line, the line before it and a few after (the first stack frames),
 * plus any later "Caused by:"/"Message :" line that says what actually broke.
 */
function excerpt(lines: string[], at: number): string[] {
  const picked = new Set<number>();
  if (at > 0 && !NOISE.test(lines[at - 1]!) && !isFrame(lines[at - 1]!)) picked.add(at - 1);
  picked.add(at);
  for (let i = at + 1; i < Math.min(lines.length, at + 4); i++) if (!NOISE.test(lines[i]!)) picked.add(i);
  for (let i = at + 4; i < Math.min(lines.length, at + 12); i++) if (DETAIL.test(lines[i]!)) picked.add(i);
  return [...picked]
    .sort((a, b) => a - b)
    .slice(0, MAX_EXCERPT)
    .map((i) => lines[i]!);
}

const isFrame = (l: string) => /^\s+at\s|^\s*File ".*", line \d+/.test(l);
