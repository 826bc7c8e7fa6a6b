import { readFileSync } from 'node:fs';
import { normalizeRegistryHost } from '../../domain/docker-config.js';
import { apiHostOf, type ImageRef } from '../../domain/image-ref.js';
import { MedicError } from '../../errors.js';
import type { TlsSettings } from './http.js';
import type { RegistrySettings } from './types.js';

/** Where and how to talk to the registry of one image. */
export interface RegistryEndpoint {
  /** The registry as named in image references, normalised: credentials are looked up by it. */
  host: string;
  /** Base URLs to try in order: an insecure registry without an endpoint is tried over HTTPS, then HTTP. */
  bases: URL[];
  tls: TlsSettings;
}

/** Settings by normalised host, with CA bundles read once; a bad entry is a configuration error. */
export class RegistryEndpoints {
  private readonly byHost = new Map<string, RegistrySettings & { ca?: string }>();

  constructor(settings: readonly RegistrySettings[] = []) {
    for (const s of settings) {
      const host = normalizeRegistryHost(s.host);
      if (s.endpoint && !/^https?:\/\//.test(s.endpoint)) {
        throw new MedicError('CONFIG_INVALID', `registries: endpoint of ${s.host} must be an http(s) URL, got "${s.endpoint}"`);
      }
      let ca: string | undefined;
      if (s.caFile) {
        try {
          ca = readFileSync(s.caFile, 'utf8');
        } catch (e) {
          throw new MedicError('CONFIG_INVALID', `registries: cannot read caFile of ${s.host} (${s.caFile})`, { cause: e });
        }
      }
      this.byHost.set(host, { ...s, ca });
    }
  }

  for(ref: ImageRef): RegistryEndpoint {
    const s = this.byHost.get(ref.registry);
    const tls: TlsSettings = { verify: !s?.insecure, ca: s?.ca };
    if (s?.endpoint) return { host: ref.registry, bases: [new URL(s.endpoint)], tls };
    const host = apiHostOf(ref);
    const bases = [new URL(`https://${host}`)];
    if (s?.insecure) bases.push(new URL(`http://${host}`));
    return { host: ref.registry, bases, tls };
  }
}

/** The URL of an API path under a base that may carry a path prefix (a mirror at https://mirror/prefix). */
export function apiUrl(base: URL, path: string): URL {
  return new URL(base.pathname.replace(/\/$/, '') + path, base);
}
