// Pushing lives in src/ (the playground pushes the catalog into docker-registry too).
export { pushCatalog, pushImage, registryRequest, type PushTarget } from '../../src/sim/registry/push.js';
export type { ManifestFormat } from '../../src/sim/registry/image-content.js';
