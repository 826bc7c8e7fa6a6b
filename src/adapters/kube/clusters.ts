import type { Config } from '../../config.js';
import { MedicError } from '../../errors.js';
import { KubeCluster } from './cluster.js';
import { loadKubeConfig } from './kubeconfig.js';

/**
 * The clusters of the policy file by name, each a kubeconfig context; without
 * a `clusters` list, the current context under the name "default".
 */
export class ClusterDirectory {
  private readonly contexts: Map<string, string | undefined>;
  private readonly open = new Map<string, KubeCluster>();

  constructor(private readonly config: Pick<Config, 'kube' | 'policy'>) {
    const list = config.policy.clusters;
    this.contexts = new Map(list.length ? list.map((c) => [c.name, c.context]) : [['default', undefined]]);
  }

  names(): string[] {
    return [...this.contexts.keys()];
  }

  get(name: string): KubeCluster {
    if (!this.contexts.has(name)) throw new MedicError('USAGE', `unknown cluster "${name}" (known: ${this.names().join(', ')})`);
    let cluster = this.open.get(name);
    if (!cluster) {
      cluster = new KubeCluster(loadKubeConfig({ kubeconfig: this.config.kube.kubeconfig, context: this.contexts.get(name) }));
      this.open.set(name, cluster);
    }
    return cluster;
  }
}
