import type { ClusterDirectory } from './adapters/kube/clusters.js';
import { KubePreflightSource } from './adapters/kube/preflight-source.js';
import { KubeSnapshotSource } from './adapters/kube/snapshot-source.js';
import { RegistryClient } from './adapters/registry/client.js';
import type { Config } from './config.js';
import type { Clock, SnapshotSource } from './ports.js';
import { PreflightService } from './services/preflight.js';
import { DeploymentReader, type ReadingService } from './services/reading.js';
import { Remediation, type RemediationService } from './services/remediation.js';

export interface ClusterServices {
  snapshots: SnapshotSource;
  reading: ReadingService;
  remediation: RemediationService;
  preflight: PreflightService;
}

/**
 * The services over a set of clusters: the part of the composition `serve`
 * (main.ts) and the CLI (cli/kube-command.ts) share. It loads no Slack and
 * no store, so a CLI diagnosis pays for neither.
 */
export function composeClusterServices(clusters: ClusterDirectory, config: Pick<Config, 'policy'>, clock: Clock): ClusterServices {
  const registry = new RegistryClient({ registries: config.policy.registries });
  const snapshots = new KubeSnapshotSource(clusters, registry, clock);
  const preflight = new PreflightService(new KubePreflightSource(clusters, registry, clock), clusters, clock);
  return { snapshots, reading: new DeploymentReader(clusters, snapshots, clock, preflight), remediation: new Remediation(clusters, clock), preflight };
}
