import { IMAGE_CATALOG, REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { RegistryImageSource } from '../../src/sim/kube/kubelet/registry-image-source.js';
import { pushCatalog, startRegistry, type TestRegistry } from './registry.js';

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
  const registry = await startRegistry({
    auth: { mode: 'token', users: { 'ci-bot': 'b1ll1ng-pull-token' }, privateRepositories: { 'private/billing-worker': ['ci-bot'] } },
  });
  await pushCatalog(registry, IMAGE_CATALOG, { hostAlias: REGISTRY });
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
