import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ContainerStatus, Event, PersistentVolumeClaim, Pod, PodSpec, PodTemplateSpec, Secret } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { LOG_LIMITS, toContainerLog, type LogLimits } from '../../domain/container-log.js';
import { credentialsFromSecret, type RegistryCredential } from '../../domain/docker-config.js';
import { eventLastSeenMs } from '../../domain/events.js';
import { containerStatuses, podHealthy, podRestarts } from '../../domain/pod-state.js';
import { selectorNearMiss } from '../../domain/selector-near-miss.js';
import { controllerUid, controlledBy, revisionOf, selectorMatches } from '../../domain/workload.js';
import type { CollectionNote, ConfigRef, ContainerLog, DeploymentSnapshot, RegistryCheck } from '../../domain/snapshot.js';
import { toMedicError } from '../../errors.js';
import type { Clock, ImageChecker, SnapshotScope } from '../../ports.js';
import { redactText } from '../../redact.js';
import type { KubeCluster } from './cluster.js';
import { selectorString } from '../../domain/selector.js';

export interface CollectOptions {
  /** A diagnosis reads everything; a status only the workload (ReplicaSets, pods, their events). */
  scope: SnapshotScope;
  logs: LogLimits;
  /** Distinct (ReplicaSet, container) pairs whose logs are read. */
  maxLogTargets: number;
  /** Pods whose events are read: one per ReplicaSet and distinct pod state. */
  maxEventPods: number;
}

export const DEFAULT_COLLECT_OPTIONS: CollectOptions = { scope: 'diagnosis', logs: LOG_LIMITS, maxLogTargets: 6, maxEventPods: 12 };

const PULL_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * Reads everything a diagnosis needs, in three dependent stages with the
 * reads of each stage in parallel: (1) the Deployment; (2) its ReplicaSets,
 * pods, their controllers' events, nodes, quotas, services, referenced
 * configuration, claims and StorageClasses, and pull secrets; (3) events and
 * logs (init containers too) of representative failing pods and registry
 * checks of the images that fail to pull. Work is bounded by distinct pod
 * states, not pod count, and never reads a whole namespace's events. A failed read in stages 2–3 becomes a note, not a crash.
 * `found` runs once the Deployment is read: the one read that tells whether
 * it exists, so a caller can show progress without reading it again.
 */
export async function collectDeploymentSnapshot(
  cluster: KubeCluster,
  registry: ImageChecker | undefined,
  ref: { namespace: string; name: string },
  clock: Clock,
  opts: CollectOptions = DEFAULT_COLLECT_OPTIONS,
  found?: (deployment: Deployment) => Promise<void>,
): Promise<DeploymentSnapshot> {
  const { namespace } = ref;
  const notes: CollectionNote[] = [];
  const soft = async <T>(source: string, fallback: T, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (e) {
      const err = toMedicError(e, 'KUBE_API');
      if (err.code === 'CLUSTER_UNREACHABLE') throw err;
      notes.push({ source, message: redactText(err.message) });
      return fallback;
    }
  };

  // A status reads the workload alone; the rest of a diagnosis's reads answer empty without a request.
  const diagnosis = opts.scope === 'diagnosis';
  const only = <T>(fallback: T, read: () => Promise<T>): Promise<T> => (diagnosis ? read() : Promise.resolve(fallback));

  // Stage 1
  const deployment = await cluster.getDeployment(namespace, ref.name);
  await found?.(deployment);
  const selector = selectorString(deployment.spec?.selector);
  const template = deployment.spec?.template?.spec;
  // Claims are read only when the template mounts one; their events explain a claim that stays Pending.
  const mountsClaims = claimNames(deployment.spec?.template).length > 0;
  const ifClaims = <T>(fallback: T, read: () => Promise<T>): Promise<T> => only(fallback, () => (mountsClaims ? read() : Promise.resolve(fallback)));

  // Stage 2
  const [replicaSetsAll, podsAll, controllerEvents, nodes, resourceQuotas, servicesAll, endpointsAll, configRefs, pullSecrets, serviceAccount, claimsAll, storageClasses] = await Promise.all([
    soft('replicasets', [] as ReplicaSet[], () => cluster.listReplicaSets(namespace, selector)),
    soft('pods', [] as Pod[], () => cluster.listPods(namespace, selector)),
    Promise.all([
      soft('events of the deployment', [] as Event[], () => cluster.listEvents(namespace, `involvedObject.kind=Deployment,involvedObject.name=${ref.name}`)),
      soft('events of replicasets', [] as Event[], () => cluster.listEvents(namespace, 'involvedObject.kind=ReplicaSet')),
      ifClaims([] as Event[], () => soft('events of persistentvolumeclaims', [] as Event[], () => cluster.listEvents(namespace, 'involvedObject.kind=PersistentVolumeClaim'))),
    ]).then((lists) => lists.flat()),
    only([], () => soft('nodes', [], () => cluster.listNodes())),
    only([], () => soft('resourcequotas', [], () => cluster.listResourceQuotas(namespace))),
    only([], () => soft('services', [], () => cluster.listServices(namespace))),
    only([], () => soft('endpoints', [], () => cluster.listEndpoints(namespace))),
    only([], () => readConfigRefs(cluster, namespace, template, soft)),
    only([], () =>
      Promise.all(
        ['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg'].map((type) => soft(`secrets of type ${type}`, [] as Secret[], () => cluster.listSecretsOfType(namespace, type))),
      ).then((lists) => lists.flat()),
    ),
    only(undefined, () => soft(`serviceaccount ${template?.serviceAccountName ?? 'default'}`, undefined, () => cluster.getServiceAccount(namespace, template?.serviceAccountName ?? 'default'))),
    ifClaims([] as PersistentVolumeClaim[], () => soft('persistentvolumeclaims', [] as PersistentVolumeClaim[], () => cluster.listPersistentVolumeClaims(namespace))),
    ifClaims([] as StorageClass[], () => soft('storageclasses', [] as StorageClass[], () => cluster.listStorageClasses())),
  ]);

  const replicaSets = controlledBy([deployment], replicaSetsAll);
  const pods = controlledBy(replicaSets, podsAll);
  // A Service one label off selects nothing at all, so it is found by its near miss, not by what it selects.
  const templates = [deployment.spec?.template, ...replicaSets.map((rs) => rs.spec?.template)];
  const services = servicesAll
    .filter((s) => s.spec?.selector && templates.some((t) => selectorMatches(s.spec!.selector!, t?.metadata?.labels) || selectorNearMiss(s.spec!.selector!, t?.metadata?.labels)))
    .map((service) => ({ service, endpoints: endpointsAll.find((e) => e.metadata?.name === service.metadata?.name) }));
  const claimed = new Set(templates.flatMap(claimNames));
  const persistentVolumeClaims = claimsAll.filter((c) => claimed.has(c.metadata?.name ?? ''));

  // Stage 3
  const credentials = pullCredentials(template, serviceAccount?.imagePullSecrets, pullSecrets);
  const [logs, registryChecks, podEvents] = await Promise.all([
    only([], () => collectLogs(cluster, namespace, replicaSets, pods, opts, soft)),
    only([], () => checkImages(registry, pods, credentials, notes)),
    collectPodEvents(cluster, namespace, pods, opts, soft),
  ]);
  const involved = new Set([deployment, ...replicaSets, ...pods, ...persistentVolumeClaims].map((o) => o.metadata?.uid));
  const events = [...controllerEvents, ...podEvents].filter((e) => involved.has(e.involvedObject.uid)).sort((a, b) => eventLastSeenMs(a) - eventLastSeenMs(b));

  return {
    deployment,
    replicaSets,
    pods,
    events,
    nodes,
    resourceQuotas,
    configRefs,
    persistentVolumeClaims,
    storageClasses,
    services,
    logs,
    registry: registryChecks,
    notes,
    collectedAt: clock.now().toISOString(),
  };
}

type Soft = <T>(source: string, fallback: T, read: () => Promise<T>) => Promise<T>;

const claimNames = (t: PodTemplateSpec | undefined): string[] => (t?.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName ?? '').filter(Boolean);

/** Secrets and ConfigMaps the template names (env, envFrom, volumes): existence and key names only. */
async function readConfigRefs(cluster: KubeCluster, namespace: string, spec: PodSpec | undefined, soft: Soft): Promise<ConfigRef[]> {
  const wanted = new Map<string, { kind: 'Secret' | 'ConfigMap'; name: string }>();
  const add = (kind: 'Secret' | 'ConfigMap', name: string | undefined) => name && wanted.set(`${kind}/${name}`, { kind, name });
  for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
    for (const e of c.env ?? []) {
      add('Secret', e.valueFrom?.secretKeyRef?.name);
      add('ConfigMap', e.valueFrom?.configMapKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add('Secret', e.secretRef?.name);
      add('ConfigMap', e.configMapRef?.name);
    }
  }
  for (const v of spec?.volumes ?? []) {
    add('Secret', v.secret?.secretName);
    add('ConfigMap', v.configMap?.name);
  }
  const refs = await Promise.all(
    [...wanted.values()].map(({ kind, name }) =>
      soft(`${kind.toLowerCase()} ${name}`, undefined as ConfigRef | undefined, async () => {
        try {
          const obj = kind === 'Secret' ? await cluster.getSecret(namespace, name) : await cluster.getConfigMap(namespace, name);
          const data = obj as { data?: object; binaryData?: object; stringData?: object };
          const keys = [...Object.keys(data.data ?? {}), ...Object.keys(data.binaryData ?? {}), ...Object.keys(data.stringData ?? {})];
          return { kind, name, exists: true, keys: [...new Set(keys)].sort() };
        } catch (e) {
          if (toMedicError(e).code === 'NOT_FOUND') return { kind, name, exists: false, keys: [] };
          throw e;
        }
      }),
    ),
  );
  return refs.filter((r): r is ConfigRef => Boolean(r)).sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}

function pullCredentials(spec: PodSpec | undefined, saSecrets: Array<{ name?: string }> | undefined, secrets: Secret[]): RegistryCredential[] {
  const names = new Set([...(spec?.imagePullSecrets ?? []), ...(saSecrets ?? [])].map((r) => r.name));
  return secrets.filter((s) => names.has(s.metadata?.name)).flatMap((s) => credentialsFromSecret(s));
}

/** What distinguishes one pod's trouble from another's: pods sharing it share their events, modulo names. */
function podState(pod: Pod): string {
  const cs = containerStatuses(pod);
  return [
    controllerUid(pod),
    pod.status?.phase,
    pod.status?.conditions?.map((c) => `${c.type}=${c.status}:${c.reason ?? ''}`).join(','),
    cs.map((c) => `${c.name}:${Object.keys(c.state ?? {})[0]}:${c.state?.waiting?.reason ?? c.state?.terminated?.reason ?? ''}:${c.lastState?.terminated?.reason ?? ''}:${c.ready}`).join(','),
  ].join('|');
}

/** Events of one unhealthy pod per distinct state (the one with most restarts); healthy pods' events say nothing. */
async function collectPodEvents(cluster: KubeCluster, namespace: string, pods: Pod[], opts: CollectOptions, soft: Soft): Promise<Event[]> {
  const chosen = new Map<string, Pod>();
  for (const pod of pods.filter((p) => !podHealthy(p)).sort((a, b) => podRestarts(b) - podRestarts(a) || a.metadata!.name!.localeCompare(b.metadata!.name!))) {
    const key = podState(pod);
    if (!chosen.has(key)) chosen.set(key, pod);
  }
  const reads = [...chosen.values()].slice(0, opts.maxEventPods).map((pod) =>
    soft(`events of pod/${pod.metadata!.name}`, [] as Event[], () => cluster.listEvents(namespace, `involvedObject.kind=Pod,involvedObject.name=${pod.metadata!.name}`)),
  );
  return (await Promise.all(reads)).flat();
}

const isFailing = (cs: ContainerStatus) =>
  (cs.restartCount ?? 0) > 0 || Boolean(cs.lastState?.terminated) || (cs.state?.terminated?.exitCode ?? 0) !== 0 || cs.state?.waiting?.reason === 'CrashLoopBackOff';

/**
 * Logs of failing containers, init containers included: one representative
 * pod (most restarts) per ReplicaSet and container, so 300 crashing pods
 * cost two reads, not 600.
 */
async function collectLogs(cluster: KubeCluster, namespace: string, replicaSets: ReplicaSet[], pods: Pod[], opts: CollectOptions, soft: Soft): Promise<ContainerLog[]> {
  const targets = new Map<string, { pod: Pod; status: ContainerStatus }>();
  for (const pod of pods) {
    const owner = controllerUid(pod);
    for (const status of containerStatuses(pod)) {
      if (!isFailing(status)) continue;
      const key = `${owner}/${status.name}`;
      const best = targets.get(key);
      if (!best || (status.restartCount ?? 0) > (best.status.restartCount ?? 0) || ((status.restartCount ?? 0) === (best.status.restartCount ?? 0) && pod.metadata!.name! < best.pod.metadata!.name!)) {
        targets.set(key, { pod, status });
      }
    }
  }
  // Newest revision first: its failures are the ones being diagnosed.
  const revisionOfPod = (pod: Pod) => revisionOf(replicaSets.find((rs) => rs.metadata?.uid === controllerUid(pod)));
  const chosen = [...targets.values()]
    .sort((a, b) => revisionOfPod(b.pod) - revisionOfPod(a.pod) || a.pod.metadata!.name!.localeCompare(b.pod.metadata!.name!) || a.status.name.localeCompare(b.status.name))
    .slice(0, opts.maxLogTargets);
  const reads = chosen.flatMap(({ pod, status }) => {
    const ran = Boolean(status.state?.running || status.state?.terminated || status.lastState?.terminated);
    const kinds = [...(ran ? [false] : []), ...(status.lastState?.terminated ? [true] : [])];
    return kinds.map((previous) =>
      soft(`logs of pod/${pod.metadata!.name} container ${status.name}${previous ? ' (previous)' : ''}`, undefined as ContainerLog | undefined, async () => {
        const text = await cluster.readPodLog(namespace, pod.metadata!.name!, { container: status.name, previous, ...opts.logs });
        return toContainerLog(pod.metadata!.name!, status.name, previous, text, opts.logs);
      }),
    );
  });
  return (await Promise.all(reads)).filter((l): l is ContainerLog => Boolean(l));
}

async function checkImages(registry: ImageChecker | undefined, pods: Pod[], credentials: RegistryCredential[], notes: CollectionNote[]): Promise<RegistryCheck[]> {
  if (!registry) return [];
  const images = new Set<string>();
  for (const pod of pods) {
    for (const cs of containerStatuses(pod)) if (PULL_FAILURES.has(cs.state?.waiting?.reason ?? '')) images.add(cs.image);
  }
  const checks = await Promise.all(
    [...images].sort().map(async (image) => {
      try {
        return await registry.check(image, credentials);
      } catch (e) {
        notes.push({ source: `registry check of ${image}`, message: redactText(toMedicError(e).message) });
        return undefined;
      }
    }),
  );
  return checks.filter((c): c is RegistryCheck => Boolean(c));
}
