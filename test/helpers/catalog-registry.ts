import { IMAGE_CATALOG, REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { RegistryImageSource } from '../../src/sim/kube/kubelet/registry-image-source.js';
import { startCatalogDockerRegistry } from '../../src/sim/registry/docker-registry.js';
import type { TestRegistry } from './registry.js';

export interface CatalogRegistry {
  registry: TestRegistry;
  /** For the simulator's kubelet: pulls ask this registry. */
  source: RegistryImageSource;
  stop(): Promise<void>;
}

/**
 * A real registry holding every image of the scenario catalog, the private
 * billing-worker repository behind token auth for its CI account, and the
 * kubelet image source that pulls from it.
 */
export async function startCatalogRegistry(): Promise<CatalogRegistry> {
  const registry = await startCatalogDockerRegistry(IMAGE_CATALOG, REGISTRY);
  const source = new RegistryImageSource({ registries: [{ host: REGISTRY, endpoint: registry.url }] });
  return {
    registry,
    source,
    async stop() {
      source.close();
      await registry.stop();
    },
  };
}
