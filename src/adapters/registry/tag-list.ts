import { formatDistributionErrors, parseDistributionErrors } from './failures.js';
import type { RegistrySession } from './session.js';

export type TagListing =
  | { kind: 'tags'; tags: string[]; truncated: boolean }
  /** 404 or NAME_UNKNOWN: the repository itself does not exist. */
  | { kind: 'repository-unknown'; detail: string }
  | { kind: 'failed'; detail: string };

const PAGE_SIZE = 1000;
/** Guards against a registry whose Link headers go round in circles. */
const MAX_PAGES = 100;

/** GET /v2/<name>/tags/list, following `Link: <...>; rel="next"` pages on the same origin, up to `maxTags`. */
export async function listTags(session: RegistrySession, repository: string, maxTags: number): Promise<TagListing> {
  const tags: string[] = [];
  let target: string | URL = `/v2/${repository}/tags/list?n=${PAGE_SIZE}`;
  for (let page = 0; page < MAX_PAGES; page++) {
    const ex = await session.request('GET', target, 'application/json');
    if (!ex.ok) return { kind: 'failed', detail: ex.detail };
    const errors = parseDistributionErrors(ex.res.body);
    if (ex.res.status === 404 || errors.some((e) => e.code === 'NAME_UNKNOWN')) {
      return { kind: 'repository-unknown', detail: errors.length ? formatDistributionErrors(errors) : `HTTP ${ex.res.status}` };
    }
    if (ex.res.status !== 200) {
      return { kind: 'failed', detail: `listing tags answered HTTP ${ex.res.status}${errors.length ? ` (${formatDistributionErrors(errors)})` : ''}` };
    }
    const pageTags = tagsOf(ex.res.body);
    if (!pageTags) return { kind: 'failed', detail: 'the tag list is not valid JSON' };
    tags.push(...pageTags);
    if (tags.length >= maxTags) return { kind: 'tags', tags: tags.slice(0, maxTags), truncated: true };
    const next = nextPage([ex.res.headers.link ?? []].flat().join(', '), ex.url);
    // Never carry credentials to another origin, and stop on pages that add nothing.
    if (!next || next.origin !== ex.url.origin || !pageTags.length) break;
    target = next;
  }
  return { kind: 'tags', tags, truncated: false };
}

function tagsOf(body: string): string[] | undefined {
  try {
    const parsed = JSON.parse(body) as { tags?: unknown };
    // Distribution answers `"tags": null` for a repository whose tags were all deleted.
    if (parsed.tags === null || parsed.tags === undefined) return [];
    return Array.isArray(parsed.tags) ? parsed.tags.filter((t): t is string => typeof t === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/** The rel="next" target of an RFC 8288 Link header, resolved against the request's URL. */
export function nextPage(link: string, base: URL): URL | undefined {
  for (const m of link.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    if (/;\s*rel\s*=\s*"?next"?/i.test(m[2] ?? '')) {
      try {
        return new URL(m[1]!, base);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
