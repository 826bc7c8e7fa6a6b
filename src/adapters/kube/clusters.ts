import type { KubeConfig } from '@kubernetes/client-node';
import type { Config } from '../../config.js';
import { MedicError } from '../../errors.js';
import type { Clusters } from '../../ports.js';
import { KubeCluster } from './cluster.js';
import { loadKubeConfig } from './kubeconfig.js';

/** The one cluster of the CLI and of a policy without `clusters`. */
export const DEFAULT_CLUSTER = 'default';

/**
 * The clusters of the policy file by name, each a kubeconfig context; without
 * a `clusters` list, the current context under the name "default". Clients
 * are made on first use and kept.
 */
export class ClusterDirectory implements Clusters {
  private readonly open = new Map<string, KubeCluster>();

  private constructor(private readonly load: Map<string, () => KubeConfig>) {}

  static fromPolicy(config: Pick<Config, 'kube' | 'policy'>): ClusterDirectory {
    const list = config.policy.clusters.length ? config.policy.clusters : [{ name: DEFAULT_CLUSTER, context: undefined }];
    return new ClusterDirectory(new Map(list.map((c) => [c.name, () => loadKubeConfig({ kubeconfig: config.kube.kubeconfig, context: c.context })])));
  }

  /** The CLI's cluster: the kubeconfig and context of its flags, as "default". */
  static single(kc: KubeConfig): ClusterDirectory {
    return new ClusterDirectory(new Map([[DEFAULT_CLUSTER, () => kc]]));
  }

  names(): string[] {
    return [...this.load.keys()];
  }

  /** The kubeconfig of a cluster, for clients other than the reads and writes (the watcher's informers). */
  kubeConfig(name: string): KubeConfig {
    const load = this.load.get(name);
    if (!load) throw new MedicError('USAGE', `unknown cluster "${name}" (known: ${this.names().join(', ')})`);
    return load();
  }

  get(name: string): KubeCluster {
    const load = this.load.get(name);
    if (!load) throw new MedicError('USAGE', `unknown cluster "${name}" (known: ${this.names().join(', ')})`);
    let cluster = this.open.get(name);
    if (!cluster) {
      cluster = new KubeCluster(load());
      this.open.set(name, cluster);
    }
    return cluster;
  }
}
