import type { KubeConfig } from '@kubernetes/client-node';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { ConfigMap, Endpoints, Event, Namespace, Node, PersistentVolumeClaim, Pod, ResourceQuota, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { MedicError } from '../../errors.js';
import type { PodMetrics } from '../../domain/verification.js';
import type { Cluster, PodLogRequest } from '../../ports.js';
import { ApiException, AppsV1Api, createConfiguration, PatchStrategy, ServerConfiguration, setHeaderOptions } from './client-node.js';
import { KubeJsonReader, statusError, transportError } from './json-reader.js';

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The Kubernetes reads and writes Deploy Medic makes, with the kubeconfig's
 * credentials (client-node), answering plain Kubernetes JSON and MedicErrors:
 * NOT_FOUND, FORBIDDEN, CONFLICT, CLUSTER_UNREACHABLE, TIMEOUT or KUBE_API.
 */
export class KubeCluster implements Cluster {
  private readonly apps: AppsV1Api;
  private readonly reader: KubeJsonReader;
  readonly server: string;

  constructor(kc: KubeConfig, timeoutMs = DEFAULT_TIMEOUT_MS) {
    this.server = kc.getCurrentCluster()!.server;
    const config = createConfiguration({
      baseServer: new ServerConfiguration(this.server, {}),
      authMethods: { default: kc },
      promiseMiddleware: [
        {
          pre: async (ctx) => {
            ctx.setSignal(AbortSignal.timeout(timeoutMs));
            return ctx;
          },
          post: async (res) => res,
        },
      ],
    });
    this.apps = new AppsV1Api(config);
    this.reader = new KubeJsonReader(kc, this.server, timeoutMs);
  }

  async serverVersion(): Promise<string> {
    const v = await this.reader.get<{ gitVersion?: string }>('/version', {}, 'the API server version');
    return v.gitVersion ?? 'unknown';
  }

  getNamespace(name: string): Promise<Namespace> {
    return this.reader.get(`/api/v1/namespaces/${name}`, {}, `namespace ${name}`);
  }

  /** A missing deployment is explained: is it the namespace that does not exist, or the deployment in it? */
  async getDeployment(namespace: string, name: string): Promise<Deployment> {
    try {
      return await this.reader.get(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {}, `deployment ${namespace}/${name}`);
    } catch (e) {
      if (!(e instanceof MedicError) || e.code !== 'NOT_FOUND') throw e;
      await this.getNamespace(namespace).catch((nsErr: unknown) => {
        if (nsErr instanceof MedicError && nsErr.code === 'NOT_FOUND') throw new MedicError('NOT_FOUND', `namespace "${namespace}" not found`, { cause: nsErr });
      });
      throw new MedicError('NOT_FOUND', `deployment "${name}" not found in namespace "${namespace}"`, { cause: e });
    }
  }

  listReplicaSets(namespace: string, labelSelector: string): Promise<ReplicaSet[]> {
    return this.list(`/apis/apps/v1/namespaces/${namespace}/replicasets`, { labelSelector }, 'replicasets');
  }

  listPods(namespace: string, labelSelector: string): Promise<Pod[]> {
    return this.list(`/api/v1/namespaces/${namespace}/pods`, { labelSelector }, 'pods');
  }

  getPod(namespace: string, name: string): Promise<Pod> {
    return this.reader.get(`/api/v1/namespaces/${namespace}/pods/${name}`, {}, `pod ${namespace}/${name}`);
  }

  getReplicaSet(namespace: string, name: string): Promise<ReplicaSet> {
    return this.reader.get(`/apis/apps/v1/namespaces/${namespace}/replicasets/${name}`, {}, `replicaset ${namespace}/${name}`);
  }

  listEvents(namespace: string, fieldSelector?: string): Promise<Event[]> {
    return this.list(`/api/v1/namespaces/${namespace}/events`, { fieldSelector }, 'events');
  }

  listNodes(): Promise<Node[]> {
    return this.list('/api/v1/nodes', {}, 'nodes');
  }

  listResourceQuotas(namespace: string): Promise<ResourceQuota[]> {
    return this.list(`/api/v1/namespaces/${namespace}/resourcequotas`, {}, 'resourcequotas');
  }

  listServices(namespace: string): Promise<Service[]> {
    return this.list(`/api/v1/namespaces/${namespace}/services`, {}, 'services');
  }

  listEndpoints(namespace: string): Promise<Endpoints[]> {
    return this.list(`/api/v1/namespaces/${namespace}/endpoints`, {}, 'endpoints');
  }

  listPersistentVolumeClaims(namespace: string): Promise<PersistentVolumeClaim[]> {
    return this.list(`/api/v1/namespaces/${namespace}/persistentvolumeclaims`, {}, 'persistentvolumeclaims');
  }

  listStorageClasses(): Promise<StorageClass[]> {
    return this.list('/apis/storage.k8s.io/v1/storageclasses', {}, 'storageclasses');
  }

  /** Secrets of one type (e.g. kubernetes.io/dockerconfigjson); the caller must not keep values it does not need. */
  listSecretsOfType(namespace: string, type: string): Promise<Secret[]> {
    return this.list(`/api/v1/namespaces/${namespace}/secrets`, { fieldSelector: `type=${type}` }, 'secrets');
  }

  getSecret(namespace: string, name: string): Promise<Secret> {
    return this.reader.get(`/api/v1/namespaces/${namespace}/secrets/${name}`, {}, `secret ${namespace}/${name}`);
  }

  getConfigMap(namespace: string, name: string): Promise<ConfigMap> {
    return this.reader.get(`/api/v1/namespaces/${namespace}/configmaps/${name}`, {}, `configmap ${namespace}/${name}`);
  }

  getServiceAccount(namespace: string, name: string): Promise<ServiceAccount> {
    return this.reader.get(`/api/v1/namespaces/${namespace}/serviceaccounts/${name}`, {}, `serviceaccount ${namespace}/${name}`);
  }

  private async list<T>(path: string, query: Record<string, string | undefined>, what: string): Promise<T[]> {
    return (await this.reader.get<{ items?: T[] }>(path, query, what)).items ?? [];
  }

  readPodLog(namespace: string, name: string, opts: PodLogRequest): Promise<string> {
    const query = { container: opts.container, previous: String(opts.previous), tailLines: String(opts.tailLines), limitBytes: String(opts.limitBytes) };
    return this.reader.getText(`/api/v1/namespaces/${namespace}/pods/${name}/log`, query, `logs of pod ${namespace}/${name}`);
  }

  /**
   * A JSON patch, as `kubectl rollout undo` sends one. A failed `test` op is
   * the apiserver's generic 422 "the server rejected our request": with the
   * resourceVersion test our plans start with, it means the object changed.
   */
  async patchDeployment(namespace: string, name: string, ops: unknown[]): Promise<Deployment> {
    const what = `deployment ${namespace}/${name}`;
    try {
      return await this.call(what, () => this.apps.patchNamespacedDeployment({ namespace, name, body: ops as object }, setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)));
    } catch (e) {
      if (e instanceof MedicError && e.details.httpStatus === 422 && /rejected our request/.test(e.message)) {
        throw new MedicError('CONFLICT', `${what} changed since the change was planned; nothing was applied`, { cause: e });
      }
      throw e;
    }
  }

  listPodMetrics(namespace: string, labelSelector: string): Promise<PodMetrics[]> {
    return this.list(`/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`, { labelSelector }, 'pod metrics');
  }

  listHorizontalPodAutoscalers(namespace: string): Promise<HorizontalPodAutoscaler[]> {
    return this.list(`/apis/autoscaling/v2/namespaces/${namespace}/horizontalpodautoscalers`, {}, 'horizontalpodautoscalers');
  }

  /** client-node hands back class instances with Date fields; the domain reads plain Kubernetes JSON. */
  private async call<T>(what: string, request: () => Promise<unknown>): Promise<T> {
    try {
      return JSON.parse(JSON.stringify(await request())) as T;
    } catch (e) {
      throw kubeError(what, e, this.server);
    }
  }
}

/** Turns client-node and network failures into MedicErrors naming what was being read. */
function kubeError(what: string, e: unknown, server: string): MedicError {
  if (e instanceof MedicError) return e;
  if (e instanceof ApiException) return statusError(e.code, typeof e.body === 'string' ? e.body : JSON.stringify(e.body ?? {}), what);
  return transportError(e, what, server);
}
