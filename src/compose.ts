import type { BotServices } from '../commands/types.js';
import type { ClusterDirectory } from './adapters/kube/clusters.js';
import { KubeSnapshotSource } from './adapters/kube/snapshot-source.js';
import { RegistryClient } from './adapters/registry/client.js';
import type { Config } from './config.js';
import type { Clock } from './ports.js';
import { DeploymentReader } from './services/reading.js';
import { Remediation } from './services/remediation.js';

/**
 * The services wired to their adapters over a set of clusters: the part of
 * the composition `serve` (main.ts) and the CLI (cli/kube-command.ts) share.
 * It loads no Slack, so a CLI run does not pay for Bolt.
 */
export function composeServices(clusters: ClusterDirectory, config: Pick<Config, 'policy'>, clock: Clock): BotServices {
  const snapshots = new KubeSnapshotSource(clusters, new RegistryClient({ registries: config.policy.registries }), clock);
  return { reading: new DeploymentReader(clusters, snapshots, clock), remediation: new Remediation(clusters, clock) };
}
