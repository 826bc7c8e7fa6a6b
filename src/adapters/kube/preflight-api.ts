import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap, Pod, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { DryRun } from '../../domain/preflight/world.js';
import { MedicError } from '../../errors.js';
import type { KubeCluster } from './cluster.js';
import type { ClusterDirectory } from './clusters.js';
import { KubeJsonReader } from './json-reader.js';

const TIMEOUT_MS = 15_000;

/** A Warning header value as the apiserver writes it: `299 - "text"`. */
const warningText = (h: string) => /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(h)?.[1]?.replace(/\\(.)/g, '$1') ?? h;

/**
 * The reads a preflight makes beyond a diagnosis's (every pod of the
 * cluster for the scheduler; a namespace's Deployments, ReplicaSets,
 * ServiceAccounts and ConfigMaps at once, for all its candidates), and its
 * dry runs: POST and PUT with dryRun=All, which run admission and store
 * nothing. Strict field validation, so an unknown field is refused.
 */
export class PreflightApi {
  private constructor(
    readonly cluster: KubeCluster,
    private readonly reader: KubeJsonReader,
  ) {}

  static of(clusters: ClusterDirectory, name: string): PreflightApi {
    const cluster = clusters.get(name);
    return new PreflightApi(cluster, new KubeJsonReader(clusters.kubeConfig(name), cluster.server, TIMEOUT_MS));
  }

  /** The Deployment, or undefined when it does not exist (yet). */
  async findDeployment(namespace: string, name: string): Promise<Deployment | undefined> {
    try {
      return await this.reader.get<Deployment>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {}, `deployment ${namespace}/${name}`);
    } catch (e) {
      if (e instanceof MedicError && e.code === 'NOT_FOUND') return undefined;
      throw e;
    }
  }

  listAllPods(): Promise<Pod[]> {
    return this.list('/api/v1/pods', 'pods of all namespaces');
  }

  listNamespacePods(namespace: string): Promise<Pod[]> {
    return this.list(`/api/v1/namespaces/${namespace}/pods`, `pods of ${namespace}`);
  }

  listReplicaSets(namespace: string): Promise<ReplicaSet[]> {
    return this.list(`/apis/apps/v1/namespaces/${namespace}/replicasets`, `replicasets of ${namespace}`);
  }

  listDeployments(namespace: string): Promise<Deployment[]> {
    return this.list(`/apis/apps/v1/namespaces/${namespace}/deployments`, `deployments of ${namespace}`);
  }

  listServiceAccounts(namespace: string): Promise<ServiceAccount[]> {
    return this.list(`/api/v1/namespaces/${namespace}/serviceaccounts`, `serviceaccounts of ${namespace}`);
  }

  listConfigMaps(namespace: string): Promise<ConfigMap[]> {
    return this.list(`/api/v1/namespaces/${namespace}/configmaps`, `configmaps of ${namespace}`);
  }

  private async list<T>(path: string, what: string): Promise<T[]> {
    return (await this.reader.get<{ items?: T[] }>(path, {}, what)).items ?? [];
  }

  /** An update when the Deployment exists, else a creation. */
  dryRunDeployment(d: Deployment, exists: boolean): Promise<DryRun<Deployment>> {
    const ns = d.metadata!.namespace!;
    const path = `/apis/apps/v1/namespaces/${ns}/deployments${exists ? `/${d.metadata!.name}` : ''}`;
    return this.dryRun(exists ? 'PUT' : 'POST', path, d, `dry run of deployment ${ns}/${d.metadata!.name}`);
  }

  dryRunPod(pod: Pod): Promise<DryRun<Pod>> {
    const ns = pod.metadata!.namespace!;
    return this.dryRun('POST', `/api/v1/namespaces/${ns}/pods`, pod, `dry run of a pod in ${ns}`);
  }

  private async dryRun<T>(method: 'POST' | 'PUT', path: string, body: unknown, what: string): Promise<DryRun<T>> {
    const res = await this.reader.send(method, path, { dryRun: 'All', fieldValidation: 'Strict' }, body, what);
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    if (res.status >= 200 && res.status < 300 && parsed) return { ok: true, object: parsed as T, warnings: res.warnings.map(warningText) };
    const status = parsed as { message?: string; reason?: string } | undefined;
    return { ok: false, status: res.status, ...(status?.reason ? { reason: status.reason } : {}), message: status?.message ?? `HTTP ${res.status}` };
  }
}
