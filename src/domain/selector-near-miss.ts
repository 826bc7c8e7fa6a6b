/**
 * A label selector that almost matches: one key's value spelled differently
 * ("back-end" for "backend"), or one key missing or renamed. Shared by the
 * collector (which must read such a Service although it selects nothing) and
 * the service analyzer (which names the difference).
 */
export interface SelectorMiss {
  key: string;
  /** What the selector asks for. */
  want: string;
  /** The value the labels carry under `key` (undefined: the labels lack the key). */
  have?: string;
  /** A label key carrying `want` under a similar name ("app" for "app.kubernetes.io/name"). */
  similarKey?: string;
}

const loose = (s: string) => s.toLowerCase().replace(/[-_./]/g, '');

/** Levenshtein distance, capped: only "is it at most 2" matters here. */
function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return Math.min(prev[b.length]!, cap);
}

/** Two spellings of one word: equal modulo case and separators, or a typo apart. */
function similarSpelling(a: string, b: string): boolean {
  const [x, y] = [loose(a), loose(b)];
  return x === y || (Math.min(x.length, y.length) >= 4 && editDistance(x, y) <= 2);
}

/** The one way `selector` misses `labels`, or undefined when it matches or misses in more than one way. */
export function selectorNearMiss(selector: Record<string, string>, labels: Record<string, string> | undefined): SelectorMiss | undefined {
  const misses = Object.entries(selector).filter(([k, v]) => labels?.[k] !== v);
  if (misses.length !== 1) return undefined;
  const [key, want] = misses[0]!;
  const have = labels?.[key];
  if (have !== undefined) return similarSpelling(have, want) ? { key, want, have } : undefined;
  const similarKey = Object.entries(labels ?? {}).find(([k, v]) => v === want && k !== key)?.[0];
  // A missing key is a near miss when the rest of the selector matches, or a key by another name holds the value.
  return similarKey !== undefined || misses.length < Object.keys(selector).length ? { key, want, ...(similarKey ? { similarKey } : {}) } : undefined;
}
