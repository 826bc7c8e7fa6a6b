/**
 * The Distribution v2 routes as docker-registry 2.8 matches them (gorilla/mux
 * with reference.NameRegexp, TagRegexp and go-digest's DigestRegexp), in its
 * order: the first pattern that matches the decoded path wins.
 */
export type Route =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'tags'; name: string }
  | { kind: 'blob'; name: string; digest: string }
  | { kind: 'upload'; name: string };

// Distribution's separator is [._]|__|[-]*; its empty case only joins alphanumerics, and leaving it out
// keeps the pattern unambiguous (JavaScript backtracks where Go's RE2 does not).
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+';

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => Route]> = [
  [/^\/v2\/$/, () => ({ kind: 'base' })],
  [/^\/v2\/_catalog$/, () => ({ kind: 'catalog' })],
  [new RegExp(`^/v2/(${NAME})/manifests/(${TAG}|${DIGEST})$`), (m) => ({ kind: 'manifest', name: m[1]!, reference: m[2]! })],
  [new RegExp(`^/v2/(${NAME})/tags/list$`), (m) => ({ kind: 'tags', name: m[1]! })],
  [new RegExp(`^/v2/(${NAME})/blobs/(${DIGEST})$`), (m) => ({ kind: 'blob', name: m[1]!, digest: m[2]! })],
  [new RegExp(`^/v2/(${NAME})/blobs/uploads/(?:[a-zA-Z0-9-_.=]+)?$`), (m) => ({ kind: 'upload', name: m[1]! })],
];

export function matchRoute(path: string): Route | undefined {
  for (const [re, route] of PATTERNS) {
    const m = re.exec(path);
    if (m) return route(m);
  }
  return undefined;
}

/** Where the router's strict-slash rule sends a path that matches a route but for its trailing slash. */
export function strictSlashTarget(path: string): string | undefined {
  const other = path.endsWith('/') ? path.slice(0, -1) : `${path}/`;
  return other !== path && other.length > 1 && matchRoute(other) ? other : undefined;
}

const DIGEST_HEX: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** go-digest's Parse: an available algorithm and lower-case hex of its length. */
export function isValidDigest(reference: string): boolean {
  const i = reference.indexOf(':');
  const size = DIGEST_HEX[reference.slice(0, i)];
  return i > 0 && size !== undefined && new RegExp(`^[a-f0-9]{${size}}$`).test(reference.slice(i + 1));
}
