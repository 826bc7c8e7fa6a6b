import type { ImageRef } from '../../domain/image-ref.js';

export type RegistryCheckStatus =
  | 'found'
  | 'tag-not-found'
  | 'repository-not-found'
  | 'unauthorized'
  | 'unreachable'
  | 'invalid-reference'
  | 'error';

/** What the registry says about one image reference; never carries a password or token. */
export interface RegistryCheck {
  /** The reference as given. */
  image: string;
  ref?: ImageRef;
  status: RegistryCheckStatus;
  /** One sentence for a human. */
  detail: string;
  httpStatus?: number;
  /** The manifest digest, when found. */
  digest?: string;
  /** Existing tags nearest to a missing one, nearest first (see tags.ts for the order). */
  nearestTags?: string[];
  /** ISO 8601. */
  checkedAt: string;
}

/** How to reach one registry host; the same shape as the policy file's `registries` entries. */
export interface RegistrySettings {
  host: string;
  /** Base URL to use instead of https://HOST (a mirror, or a port-forward in a lab). */
  endpoint?: string;
  /** Plain HTTP allowed, and HTTPS without certificate checks. */
  insecure?: boolean;
  /** PEM bundle of CAs to trust for this registry (and its token service). */
  caFile?: string;
}

export interface RegistryClientOptions {
  registries?: RegistrySettings[];
  /** Budget for one whole check (all its requests); default 5 s. */
  timeoutMs?: number;
  /** How long a result is reused for the same image and credentials; default 30 s, 0 turns caching off. */
  cacheTtlMs?: number;
  /** Upper bound on tags read when looking for the nearest ones; default 5000. */
  maxTags?: number;
  /** How many nearest tags a result names; default 3. */
  nearestTagCount?: number;
  /** Milliseconds since the epoch; injectable so tests can expire caches. */
  now?: () => number;
}
