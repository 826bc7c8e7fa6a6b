import type { PreflightInput } from '../../domain/preflight/manifests.js';
import type { Clock, ImageChecker } from '../../ports.js';
import type { PreflightSource } from '../../ports/preflight.js';
import type { ClusterDirectory } from './clusters.js';
import { collectPreflightWorlds } from './preflight-collector.js';
import { PreflightApi } from './preflight-api.js';

/** Preflight reads and dry runs against the policy's clusters, with the registries checked as a diagnosis checks them. */
export class KubePreflightSource implements PreflightSource {
  private readonly apis = new Map<string, PreflightApi>();

  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly registry: ImageChecker,
    private readonly clock: Clock,
  ) {}

  collect(cluster: string, input: PreflightInput) {
    let api = this.apis.get(cluster);
    if (!api) this.apis.set(cluster, (api = PreflightApi.of(this.clusters, cluster)));
    return collectPreflightWorlds(api, this.registry, input, this.clock);
  }
}
