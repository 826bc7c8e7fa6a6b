import { stringify } from 'yaml';
import type { RegistrySettings } from '../adapters/registry/types.js';
import type { Logger } from '../log.js';
import { IMAGE_CATALOG, REGISTRY } from '../sim/kube/catalog/images.js';
import { findDockerRegistry, startCatalogDockerRegistry } from '../sim/registry/docker-registry.js';
import { SimulatedRegistry } from '../sim/registry/server.js';

/** "auto": Debian's docker-registry when installed, else the simulated one; "simulated": always the simulated one. */
export type PlaygroundRegistryChoice = 'auto' | 'simulated';

export interface PlaygroundRegistry {
  kind: 'docker-registry' | 'simulated';
  /** The policy's `registries` entry: the catalog's host, reached on loopback. */
  settings: RegistrySettings;
  stop(): Promise<void>;
}

/**
 * The playground's image registry holding the scenario catalog's images, so
 * the bot's image check answers as in production (tag not found, the nearest
 * tags that exist). Both kinds serve the same images with the same digests,
 * and the private billing-worker repository behind token auth for ci-bot.
 */
export async function startPlaygroundRegistry(choice: PlaygroundRegistryChoice, log: Logger): Promise<PlaygroundRegistry> {
  if (choice === 'auto' && findDockerRegistry()) {
    try {
      const registry = await startCatalogDockerRegistry(IMAGE_CATALOG, REGISTRY);
      return { kind: 'docker-registry', settings: { host: REGISTRY, endpoint: registry.url }, stop: () => registry.stop() };
    } catch (e) {
      log.warn({ err: e }, 'docker-registry could not start; the playground uses the simulated registry instead');
    }
  }
  const sim = await SimulatedRegistry.start({ catalog: IMAGE_CATALOG, hostAlias: REGISTRY, auth: 'token' });
  return { kind: 'simulated', settings: { host: REGISTRY, endpoint: sim.url }, stop: () => sim.stop() };
}

/** The policy file's `registries` section for it, to append to the playground's policy. */
export function registriesPolicy(registry: PlaygroundRegistry): string {
  return stringify({ registries: [registry.settings] });
}
