import { RegistryClient } from '../../../adapters/registry/client.js';
import type { RegistrySettings } from '../../../adapters/registry/types.js';
import { normalizeRegistryHost, type RegistryCredential } from '../../../domain/docker-config.js';
import { formatImageRef, type ImageRef } from '../../../domain/image-ref.js';
import { IMAGE_CATALOG } from '../catalog/images.js';
import type { ImageCatalog } from '../catalog/types.js';
import { behaviorFor, fakeDigest, PULL_ERRORS, simulatedSize, type ImageSource, type PullResult } from './image-source.js';

export interface RegistryImageSourceOptions {
  /** How to reach each registry host, e.g. registry.example.com → http://127.0.0.1:PORT. */
  registries: RegistrySettings[];
  /** Where behaviour comes from, by "host/path" and tag; default: the simulator's catalog. */
  catalog?: ImageCatalog;
  timeoutMs?: number;
}

/**
 * Images as a real registry has them: whether a reference exists and who may
 * pull it is asked of the registry (with the pod's pull credentials), what the
 * image does once running still comes from the catalog (default behaviour for
 * tags it does not list, and for digest-only references). The kubelet and the
 * diagnosis then agree on what exists.
 */
export class RegistryImageSource implements ImageSource {
  private readonly client: RegistryClient;
  private readonly catalog: ImageCatalog;

  constructor(opts: RegistryImageSourceOptions) {
    // No result cache: a kubelet asks again on every pull, so a tag pushed meanwhile is seen at the next retry.
    this.client = new RegistryClient({ registries: opts.registries, cacheTtlMs: 0, timeoutMs: opts.timeoutMs });
    this.catalog = opts.catalog ?? IMAGE_CATALOG;
  }

  async pull(ref: ImageRef, credentials: RegistryCredential[]): Promise<PullResult> {
    const check = await this.client.check(ref.original, credentials);
    switch (check.status) {
      case 'found': {
        const tags = this.catalog.repositories[`${ref.registry}/${ref.repository}`]?.tags ?? {};
        const digest = check.digest ?? ref.digest ?? fakeDigest(formatImageRef(ref));
        return { ok: true, behavior: behaviorFor(ref.tag ? tags[ref.tag] : undefined), digest, sizeBytes: simulatedSize(digest) };
      }
      case 'tag-not-found':
        return { ok: false, message: PULL_ERRORS.tagNotFound(ref) };
      // Docker reports a missing repository, and a refusal without credentials, as "pull access denied".
      case 'repository-not-found':
        return { ok: false, message: PULL_ERRORS.accessDenied(ref) };
      case 'unauthorized': {
        const hasCredentials = credentials.some((c) => normalizeRegistryHost(c.host) === ref.registry);
        return { ok: false, message: hasCredentials ? PULL_ERRORS.unauthorized(ref) : PULL_ERRORS.accessDenied(ref) };
      }
      case 'unreachable':
        return { ok: false, message: PULL_ERRORS.unreachable(ref) };
      default:
        return { ok: false, message: `rpc error: code = Unknown desc = Error response from daemon: ${check.detail}` };
    }
  }

  close(): void {
    this.client.close();
  }
}
