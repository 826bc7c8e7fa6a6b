import { MedicError } from '../errors.js';

/** Milliseconds per unit of a Go duration (time.ParseDuration), as kubectl's --timeout reads it. */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const PART = /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** "90s", "10m", "1h30m", "1.5h", "0" (Go duration syntax, no sign) in milliseconds; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  if (!text) return undefined;
  let ms = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const m = PART.exec(text);
    if (!m) return undefined;
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  }
  return ms;
}

/** A --NAME duration option: undefined when absent, a USAGE error naming the option when malformed. */
export function durationOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseGoDuration(value);
  if (ms === undefined || !Number.isFinite(ms) || ms > 2 ** 31 - 1) {
    throw new MedicError('USAGE', `--${name}: expected a duration such as 90s, 10m or 1h30m (0 waits forever), got ${JSON.stringify(value.slice(0, 60))}`);
  }
  return Math.ceil(ms);
}
