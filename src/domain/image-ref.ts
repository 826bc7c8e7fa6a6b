/**
 * Container image references as the runtime reads them
 * (github.com/distribution/reference): "[host[:port]/]path[:tag][@digest]",
 * with Docker Hub's defaults for short names.
 */
export interface ImageRef {
  /** Registry host as written or defaulted: "docker.io", "localhost:5000". */
  registry: string;
  /** Repository path within the registry: "library/nginx", "acme/api". */
  repository: string;
  tag?: string;
  digest?: string;
  /** The reference as written in the pod spec. */
  original: string;
}

export type ParseResult = { ok: true; ref: ImageRef } | { ok: false; reason: string };

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;

export const DOCKER_HUB = 'docker.io';

/** Parses and normalises an image reference; the reason reads like the runtime's own error. */
export function parseImageRef(input: string): ParseResult {
  const original = input;
  const s = input.trim();
  if (!s) return { ok: false, reason: 'invalid reference format' };
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return { ok: false, reason: 'invalid reference format' };
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return { ok: false, reason: 'invalid reference format' };
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    // A first component with a dot, a port, "localhost" or capitals names a host (capitals are only legal there).
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      if (!HOST.test(first)) return { ok: false, reason: 'invalid reference format' };
      registry = first;
      parts.shift();
    }
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  for (const p of parts) {
    if (p !== p.toLowerCase()) return { ok: false, reason: 'invalid reference format: repository name must be lowercase' };
    if (!COMPONENT.test(p)) return { ok: false, reason: 'invalid reference format' };
  }
  let repository = parts.join('/');
  if (registry === DOCKER_HUB && parts.length === 1) repository = `library/${repository}`;
  if (repository.length > 255) return { ok: false, reason: 'repository name must not be more than 255 characters' };
  return { ok: true, ref: { registry, repository, tag: tag ?? (digest ? undefined : 'latest'), digest, original } };
}

/** The fully qualified name: "docker.io/library/nginx:latest". */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The host to contact for the Distribution API (Docker Hub's API lives elsewhere). */
export function apiHostOf(ref: ImageRef): string {
  return ref.registry === DOCKER_HUB ? 'registry-1.docker.io' : ref.registry;
}
