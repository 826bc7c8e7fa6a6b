// Debian's docker-registry for tests; the launcher lives in src/ because the playground runs it too.
export {
  pushCatalog,
  startDockerRegistry as startRegistry,
  type DockerRegistry as TestRegistry,
  type DockerRegistryAuth as RegistryAuth,
  type DockerRegistryOptions as RegistryOptions,
} from '../../src/sim/registry/docker-registry.js';
export type { ManifestFormat } from '../../src/sim/registry/image-content.js';
