import { collectDeploymentSnapshot } from '../adapters/kube/collector.js';
import type { KubeCluster } from '../adapters/kube/cluster.js';
import { RegistryClient } from '../adapters/registry/client.js';
import type { Config } from '../config.js';
import { systemClock, type SnapshotSource } from '../ports.js';

/** The production wiring of a diagnosis: the cluster, the registries of the policy file, the system clock. */
export function snapshotSource(cluster: KubeCluster, config: Config): SnapshotSource {
  const registry = new RegistryClient({ registries: config.policy.registries });
  return { collect: (ref) => collectDeploymentSnapshot(cluster, registry, ref, systemClock) };
}
