import type { RegistryCredential } from '../../../domain/docker-config.js';
import type { ImageRef } from '../../../domain/image-ref.js';
import { DEFAULT_BEHAVIOR } from '../catalog/images.js';
import type { ImageBehavior, ImageCatalog } from '../catalog/types.js';


export type PullResult =
  | { ok: true; behavior: ImageBehavior; digest: string; sizeBytes: number }
  /** `message` is the container runtime's error text, as the kubelet reports it. */
  | { ok: false; message: string };

/** Where the kubelet learns whether an image exists and what it does. */
export interface ImageSource {
  pull(ref: ImageRef, credentials: RegistryCredential[]): PullResult | Promise<PullResult>;
}

const daemon = (msg: string) => `rpc error: code = Unknown desc = Error response from daemon: ${msg}`;

/** A deterministic fake digest: the same reference always has the same one. */
export function fakeDigest(text: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (const ch of `${round}:${text}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return `sha256:${out}`;
}

export function behaviorFor(tagBehavior: Partial<ImageBehavior> | undefined): ImageBehavior {
  return { ...DEFAULT_BEHAVIOR, ...tagBehavior };
}

/** Error texts as Docker Engine (cri-dockerd) words them; the seeds quote these. */
export const PULL_ERRORS = {
  tagNotFound: (ref: ImageRef) => daemon(`manifest for ${ref.original} not found: manifest unknown: manifest unknown`),
  accessDenied: (ref: ImageRef) =>
    daemon(`pull access denied for ${ref.registry}/${ref.repository}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`),
  unauthorized: (ref: ImageRef) => daemon(`Head "https://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag ?? ref.digest}": unauthorized: authentication required`),
  unreachable: (ref: ImageRef) => daemon(`Get "https://${ref.registry}/v2/": dial tcp: lookup ${ref.registry.split(':')[0]} on 10.96.0.10:53: no such host`),
};

/** The image catalog as a registry: what exists, what is private, what cannot be reached. */
export class CatalogImageSource implements ImageSource {
  constructor(private readonly catalog: ImageCatalog) {}

  pull(ref: ImageRef, credentials: RegistryCredential[]): PullResult {
    if (this.catalog.unreachableHosts.includes(ref.registry)) return { ok: false, message: PULL_ERRORS.unreachable(ref) };
    const repo = this.catalog.repositories[`${ref.registry}/${ref.repository}`];
    if (!repo) return { ok: false, message: PULL_ERRORS.accessDenied(ref) };
    if (repo.credentials) {
      const mine = credentials.filter((c) => c.host === ref.registry);
      if (!mine.length) return { ok: false, message: PULL_ERRORS.accessDenied(ref) };
      if (!mine.some((c) => c.username === repo.credentials!.username && c.password === repo.credentials!.password)) {
        return { ok: false, message: PULL_ERRORS.unauthorized(ref) };
      }
    }
    const tag = ref.tag ?? Object.keys(repo.tags).find((t) => fakeDigest(`${ref.registry}/${ref.repository}:${t}`) === ref.digest);
    if (!tag || !(tag in repo.tags)) return { ok: false, message: PULL_ERRORS.tagNotFound(ref) };
    const digest = fakeDigest(`${ref.registry}/${ref.repository}:${tag}`);
    return { ok: true, behavior: behaviorFor(repo.tags[tag]), digest, sizeBytes: simulatedSize(digest) };
  }
}

/** A plausible image size derived from the digest: simulated images have no real layers to weigh. */
export function simulatedSize(digest: string): number {
  return 40_000_000 + (parseInt(digest.slice(7, 13), 16) % 90_000_000);
}
