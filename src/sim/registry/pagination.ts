/** Go's strconv.Atoi for the n parameter: an optional sign and decimal digits. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

export type Page = { ok: true; items: string[]; limit?: number; next?: { last: string; n: number } } | { ok: false; n: number };

/** Entries after `last` (sorted), at most n; `next` when more remain. */
function pageOf(sorted: readonly string[], last: string, n: number | undefined): Page {
  const after = last ? sorted.filter((s) => s > last) : [...sorted];
  if (n === undefined || after.length <= n) return { ok: true, items: after, limit: n };
  const items = after.slice(0, n);
  return { ok: true, items, limit: n, ...(n > 0 ? { next: { last: items.at(-1)!, n } } : {}) };
}

/**
 * GET /v2/<name>/tags/list?n=&last= as Distribution 3 pages it (docker-registry
 * 2.8 ignores both and lists every tag): tags in lexical order after `last`;
 * an n that is not a non-negative integer is PAGINATION_NUMBER_INVALID.
 */
export function tagsPage(sortedTags: readonly string[], query: URLSearchParams): Page {
  const raw = query.get('n') ?? '';
  const n = raw === '' ? undefined : atoi(raw);
  if (raw !== '' && (n === undefined || n < 0)) return { ok: false, n: n ?? 0 };
  return pageOf(sortedTags, query.get('last') ?? '', n);
}

const CATALOG_DEFAULT_ENTRIES = 100;
const CATALOG_MAX_ENTRIES = 1000;

/** GET /v2/_catalog?n=&last= as docker-registry 2.8 pages it: an unusable n means 100; above 1000 is refused. */
export function catalogPage(sortedNames: readonly string[], query: URLSearchParams): Page {
  const parsed = atoi(query.get('n') ?? '');
  if (parsed !== undefined && parsed > CATALOG_MAX_ENTRIES) return { ok: false, n: parsed };
  const n = parsed === undefined || parsed < 0 ? CATALOG_DEFAULT_ENTRIES : parsed;
  return pageOf(sortedNames, query.get('last') ?? '', n);
}

/** The RFC 8288 Link to the next page, with the query Distribution writes (keys sorted: last, n). */
export function nextLink(path: string, next: { last: string; n: number }): string {
  return `<${path}?${new URLSearchParams({ last: next.last, n: String(next.n) }).toString()}>; rel="next"`;
}
