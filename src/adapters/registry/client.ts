import { normalizeRegistryHost, type RegistryCredential } from '../../domain/docker-config.js';
import { formatImageRef, parseImageRef, type ImageRef } from '../../domain/image-ref.js';
import { toMedicError } from '../../errors.js';
import { credentialIdentity, parseWwwAuthenticate, TokenCache } from './auth.js';
import { RegistryEndpoints } from './endpoint.js';
import { formatDistributionErrors, parseDistributionErrors } from './failures.js';
import { HttpTransport, type HttpResponse } from './http.js';
import { RegistrySession, type AuthState } from './session.js';
import { listTags } from './tag-list.js';
import { nearestTags } from './tags.js';
import type { RegistryCheck, RegistryCheckStatus, RegistryClientOptions } from './types.js';

/** Every manifest kind a runtime pulls; without the OCI types Distribution answers 404 for OCI images. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/**
 * Asks registries (Distribution v2 API) whether images exist, the way a
 * container runtime would pull them: HEAD the manifest with the pod's pull
 * credentials, and on a 404 list the repository's tags to tell a missing tag
 * (with the nearest existing ones) from a missing repository. Never throws for
 * registry or network trouble; results are cached briefly per image and credentials.
 */
export class RegistryClient {
  private readonly endpoints: RegistryEndpoints;
  private readonly transport = new HttpTransport();
  private readonly auth: AuthState;
  private readonly results = new Map<string, { promise: Promise<RegistryCheck>; expiresAt: number }>();
  private readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly maxTags: number;
  private readonly nearestTagCount: number;
  private readonly now: () => number;

  /** Throws MedicError CONFIG_INVALID for a bad `registries` entry (an unreadable caFile). */
  constructor(opts: RegistryClientOptions = {}) {
    this.endpoints = new RegistryEndpoints(opts.registries);
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.cacheTtlMs = opts.cacheTtlMs ?? 30_000;
    this.maxTags = opts.maxTags ?? 5_000;
    this.nearestTagCount = opts.nearestTagCount ?? 3;
    this.now = opts.now ?? Date.now;
    this.auth = { tokens: new TokenCache(this.now), basicHosts: new Set() };
  }

  /** Credentials for other hosts are ignored; several for the image's host are tried in order, as the kubelet does. */
  check(image: string, credentials: readonly RegistryCredential[] = []): Promise<RegistryCheck> {
    const parsed = parseImageRef(image);
    if (!parsed.ok) {
      return Promise.resolve(this.result(image, undefined, 'invalid-reference', `"${image}" is not a valid image reference: ${parsed.reason}`));
    }
    const ref = parsed.ref;
    const mine = credentials.filter((c) => normalizeRegistryHost(c.host) === ref.registry);
    const key = [formatImageRef(ref), ...mine.map(credentialIdentity)].join('\0');
    const cached = this.results.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.promise.then((r) => ({ ...r, image, ...(r.ref ? { ref: { ...r.ref, original: image } } : {}) }));
    const promise = this.checkWithEach(image, ref, mine);
    if (this.cacheTtlMs > 0) {
      this.pruneExpired();
      // In flight, concurrent checks of the same image share one; the TTL starts once it is answered.
      const entry = { promise, expiresAt: Infinity };
      this.results.set(key, entry);
      void promise.then(() => (entry.expiresAt = this.now() + this.cacheTtlMs));
    }
    return promise;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.transport.close();
  }

  private async checkWithEach(image: string, ref: ImageRef, credentials: RegistryCredential[]): Promise<RegistryCheck> {
    let last: RegistryCheck | undefined;
    try {
      for (const credential of credentials.length ? credentials : [undefined]) {
        last = await this.checkAs(image, ref, credential);
        if (last.status !== 'unauthorized') return last;
      }
      return last!;
    } catch (e) {
      // Registry and network trouble is classified above; this is the promise never to throw at the caller.
      return this.result(image, ref, 'error', `checking ${formatImageRef(ref)} failed: ${toMedicError(e, 'REGISTRY').message}`);
    }
  }

  private async checkAs(image: string, ref: ImageRef, credential: RegistryCredential | undefined): Promise<RegistryCheck> {
    const session = new RegistrySession({
      endpoint: this.endpoints.for(ref),
      repository: ref.repository,
      credential,
      transport: this.transport,
      auth: this.auth,
      signal: AbortSignal.timeout(this.timeoutMs),
      timeoutMs: this.timeoutMs,
    });
    const reference = ref.digest ?? ref.tag!;
    const head = await session.request('HEAD', `/v2/${ref.repository}/manifests/${reference}`, MANIFEST_ACCEPT);
    if (!head.ok) return this.result(image, ref, head.status, head.detail, { httpStatus: head.httpStatus });
    const { res } = head;
    const name = `${ref.registry}/${ref.repository}`;
    switch (res.status) {
      case 200: {
        const digest = headerValue(res, 'docker-content-digest') ?? ref.digest;
        return this.result(image, ref, 'found', `${name}:${reference} exists${digest && digest !== reference ? ` (${digest})` : ''}`, { httpStatus: 200, digest });
      }
      case 404:
        return this.missing(image, ref, session);
      case 401:
      case 403:
        return this.result(image, ref, 'unauthorized', refusal(res, ref, credential), { httpStatus: res.status });
      default:
        return this.result(image, ref, 'error', `${ref.registry} answered HTTP ${res.status} to HEAD /v2/${ref.repository}/manifests/${reference}`, { httpStatus: res.status });
    }
  }

  /** A manifest 404: the tag list tells a missing tag from a missing repository, and names the nearest tags. */
  private async missing(image: string, ref: ImageRef, session: RegistrySession): Promise<RegistryCheck> {
    const name = `${ref.registry}/${ref.repository}`;
    const listing = await listTags(session, ref.repository, this.maxTags);
    if (listing.kind === 'repository-unknown') {
      return this.result(image, ref, 'repository-not-found', `repository ${name} does not exist (${listing.detail})`, { httpStatus: 404 });
    }
    const what = ref.digest ? `manifest ${ref.digest} of ${name}` : `tag ${ref.tag} of ${name}`;
    if (listing.kind === 'failed') {
      return this.result(image, ref, 'tag-not-found', `${what} does not exist (MANIFEST_UNKNOWN); its tags could not be listed: ${listing.detail}`, { httpStatus: 404 });
    }
    if (!listing.tags.length) return this.result(image, ref, 'tag-not-found', `${what} does not exist; the repository has no tags`, { httpStatus: 404, nearestTags: [] });
    // A digest has no neighbours; a tag's nearest existing tags are what a person probably meant.
    const nearest = ref.digest ? [] : nearestTags(ref.tag!, listing.tags, this.nearestTagCount);
    const suggestion = nearest.length ? `; the nearest existing tags are ${nearest.join(', ')}` : '';
    return this.result(image, ref, 'tag-not-found', `${what} does not exist${suggestion}`, { httpStatus: 404, nearestTags: nearest });
  }

  private result(image: string, ref: ImageRef | undefined, status: RegistryCheckStatus, detail: string, extra: Partial<RegistryCheck> = {}): RegistryCheck {
    return { image, ...(ref ? { ref } : {}), status, detail, ...stripUndefined(extra), checkedAt: new Date(this.now()).toISOString() };
  }

  private pruneExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.results) if (entry.expiresAt <= now) this.results.delete(key);
  }
}

/** Why the registry refused, in words, from its challenge and error body (never the credentials themselves). */
function refusal(res: HttpResponse, ref: ImageRef, credential: RegistryCredential | undefined): string {
  const name = `${ref.registry}/${ref.repository}`;
  const challenge = parseWwwAuthenticate(res.headersDistinct['www-authenticate'])[0];
  const errors = parseDistributionErrors(res.body);
  const code = challenge?.params.error ?? (errors.length ? formatDistributionErrors(errors) : undefined);
  const reason = code ? ` (${res.status} ${code})` : ` (${res.status})`;
  // Registries such as Docker Hub answer 401 for missing repositories too, so say both.
  if (!credential) return `${name} refused anonymous access${reason}: it is private or does not exist, and no credentials for ${ref.registry} were given`;
  const who = credential.username ?? '(no user name)';
  if (challenge?.params.error === 'insufficient_scope' || res.status === 403) return `the credentials of ${who} do not grant pull access to ${name}${reason}`;
  return `${name} rejected the credentials of ${who}${reason}`;
}

function headerValue(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
