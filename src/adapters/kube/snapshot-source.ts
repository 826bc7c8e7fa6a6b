import type { Clock, CollectRequest, DeploymentTarget, ImageChecker, SnapshotSource } from '../../ports.js';
import type { ClusterDirectory } from './clusters.js';
import { collectDeploymentSnapshot, DEFAULT_COLLECT_OPTIONS } from './collector.js';

/** Snapshots of the policy's clusters, with the registries checked for a diagnosis. */
export class KubeSnapshotSource implements SnapshotSource {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly registry: ImageChecker,
    private readonly clock: Clock,
  ) {}

  collect(target: DeploymentTarget, request: CollectRequest) {
    const opts = { ...DEFAULT_COLLECT_OPTIONS, scope: request.scope };
    return collectDeploymentSnapshot(this.clusters.get(target.cluster), request.scope === 'diagnosis' ? this.registry : undefined, target, this.clock, opts, request.found);
  }
}
