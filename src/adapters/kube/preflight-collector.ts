import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ConfigMap, Endpoints, Event, Node, PersistentVolumeClaim, Pod, PodSpec, ResourceQuota, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { credentialsFromSecret, type RegistryCredential } from '../../domain/docker-config.js';
import type { PreflightInput } from '../../domain/preflight/manifests.js';
import { wouldBeTemplateHash } from '../../domain/preflight/naming.js';
import { configRefOf, inputObjects, overlayByName } from '../../domain/preflight/overlay.js';
import { isPermissionRefusal } from '../../domain/preflight/refusals.js';
import type { DryRun, PreflightWorld } from '../../domain/preflight/world.js';
import { selectorNearMiss } from '../../domain/selector-near-miss.js';
import type { CollectionNote, ConfigRef, RegistryCheck } from '../../domain/snapshot.js';
import { controlledBy, POD_TEMPLATE_HASH_LABEL, selectorMatches } from '../../domain/workload.js';
import { MedicError, toMedicError } from '../../errors.js';
import type { Clock, ImageChecker } from '../../ports.js';
import { redactText } from '../../redact.js';
import { credentialIdentity } from '../registry/auth.js';
import type { PreflightApi } from './preflight-api.js';

const PULL_SECRET_TYPES = ['kubernetes.io/dockerconfigjson', 'kubernetes.io/dockercfg'];
const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

type Soft = <T>(source: string, fallback: T, read: () => Promise<T>) => Promise<T>;

/** A failed read becomes a note (the checks go on without it); only an unreachable cluster stops the preflight. */
function softly(notes: CollectionNote[]): Soft {
  return async (source, fallback, read) => {
    try {
      return await read();
    } catch (e) {
      const err = toMedicError(e, 'KUBE_API');
      if (err.code === 'CLUSTER_UNREACHABLE') throw err;
      notes.push({ source, message: redactText(err.message) });
      return fallback;
    }
  };
}

const isTerminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const containersOf = (spec: PodSpec | undefined) => [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
const claimsOf = (d: Deployment) => (d.spec?.template?.spec?.volumes ?? []).map((v) => v.persistentVolumeClaim?.claimName).filter((c): c is string => Boolean(c));
const serviceAccountOf = (d: Deployment) => d.spec?.template?.spec?.serviceAccountName ?? d.spec?.template?.spec?.serviceAccount ?? 'default';
const named = <T extends { metadata?: { name?: string } }>(list: T[], name: string) => list.find((o) => o.metadata?.name === name);
const notFound = (e: unknown) => e instanceof MedicError && e.code === 'NOT_FOUND';

/** Secrets and ConfigMaps a template names (env, envFrom, volumes, projected volumes). */
function referencedConfig(spec: PodSpec | undefined): Array<{ kind: 'Secret' | 'ConfigMap'; name: string }> {
  const out = new Map<string, { kind: 'Secret' | 'ConfigMap'; name: string }>();
  const add = (kind: 'Secret' | 'ConfigMap', name: string | undefined) => name && out.set(`${kind}/${name}`, { kind, name });
  for (const c of containersOf(spec)) {
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
    for (const s of v.projected?.sources ?? []) {
      add('Secret', s.secret?.name);
      add('ConfigMap', s.configMap?.name);
    }
  }
  return [...out.values()];
}

/**
 * What one namespace holds that its candidates' checks read, read once for
 * all of them. Secrets are read one by one, by name: a list would carry
 * every value of the namespace.
 */
interface NamespaceReads {
  /** Undefined when the list could not be read: each Deployment is then asked for by name. */
  deployments?: Deployment[];
  replicaSets: ReplicaSet[];
  serviceAccounts: ServiceAccount[];
  configMaps?: ConfigMap[];
  secrets: Map<string, ConfigRef | undefined>;
  quotas: ResourceQuota[];
  services: Service[];
  endpoints: Endpoints[];
  claims: PersistentVolumeClaim[];
  claimEvents: Event[];
  pullSecrets: Secret[];
  notes: CollectionNote[];
}

async function readNamespace(api: PreflightApi, namespace: string, candidates: Deployment[]): Promise<NamespaceReads> {
  const notes: CollectionNote[] = [];
  const soft = softly(notes);
  const c = api.cluster;
  const claims = candidates.some((d) => claimsOf(d).length > 0);
  const secretNames = [...new Set(candidates.flatMap((d) => referencedConfig(d.spec?.template?.spec).filter((r) => r.kind === 'Secret').map((r) => r.name)))];
  const [deployments, replicaSets, serviceAccounts, configMaps, secrets, quotas, services, endpoints, claimList, claimEvents, pullSecrets] = await Promise.all([
    api.listDeployments(namespace).catch(() => undefined),
    soft(`replicasets of ${namespace}`, [] as ReplicaSet[], () => api.listReplicaSets(namespace)),
    soft(`serviceaccounts of ${namespace}`, [] as ServiceAccount[], () => api.listServiceAccounts(namespace)),
    soft(`configmaps of ${namespace}`, undefined as ConfigMap[] | undefined, () => api.listConfigMaps(namespace)),
    Promise.all(
      secretNames.map(async (name) => {
        const read = () => c.getSecret(namespace, name).then((s) => configRefOf('Secret', name, s), (e: unknown) => (notFound(e) ? configRefOf('Secret', name, undefined) : Promise.reject(e)));
        return [name, await soft(`secret ${name}`, undefined as ConfigRef | undefined, read)] as const;
      }),
    ).then((l) => new Map(l)),
    soft('resourcequotas', [] as ResourceQuota[], () => c.listResourceQuotas(namespace)),
    soft('services', [] as Service[], () => c.listServices(namespace)),
    soft('endpoints', [] as Endpoints[], () => c.listEndpoints(namespace)),
    claims ? soft('persistentvolumeclaims', [] as PersistentVolumeClaim[], () => c.listPersistentVolumeClaims(namespace)) : [],
    claims ? soft('events of persistentvolumeclaims', [] as Event[], () => c.listEvents(namespace, 'involvedObject.kind=PersistentVolumeClaim')) : [],
    Promise.all(PULL_SECRET_TYPES.map((type) => soft(`secrets of type ${type}`, [] as Secret[], () => c.listSecretsOfType(namespace, type)))).then((l) => l.flat()),
  ]);
  return { deployments, replicaSets, serviceAccounts, configMaps, secrets, quotas, services, endpoints, claims: claimList, claimEvents, pullSecrets, notes };
}

/** One pod of the template, as the ReplicaSet controller would create it. */
function podOf(d: Deployment): Pod {
  const template = d.spec?.template ?? {};
  const hash = wouldBeTemplateHash(template);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: `${d.metadata!.name}-${hash}-`, namespace: d.metadata!.namespace, labels: { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash }, ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}) },
    spec: template.spec ?? { containers: [] },
  };
}

/**
 * Reads everything the preflights of `input` need, in two dependent
 * stages with every read of a stage in parallel: (1) the cluster's nodes,
 * pods and StorageClasses, each namespace's Deployments, ReplicaSets,
 * ServiceAccounts, ConfigMaps, quotas, Services, claims and pull secrets
 * (once for all its candidates), and a dry-run pod of each template; (2)
 * each Deployment's dry run (an update when it exists) and the registry
 * checks (they need the pull credentials), each image checked once.
 */
export async function collectPreflightWorlds(api: PreflightApi, registry: ImageChecker | undefined, input: PreflightInput, clock: Clock): Promise<PreflightWorld[]> {
  const clusterNotes: CollectionNote[] = [];
  const soft = softly(clusterNotes);
  const namespaces = [...new Set(input.deployments.map((d) => d.deployment.metadata!.namespace!))];
  const claims = input.deployments.some((d) => claimsOf(d.deployment).length > 0);
  const created = new Set(input.namespaces);
  const podNotes = input.deployments.map((): CollectionNote[] => []);

  const [nodes, allPods, classes, byNamespace, podDryRuns] = await Promise.all([
    soft('nodes', [] as Node[], () => api.cluster.listNodes()),
    api.listAllPods().catch((e: unknown) => {
      if (toMedicError(e).code === 'CLUSTER_UNREACHABLE') throw e;
      return undefined;
    }),
    claims ? soft('storageclasses', [] as StorageClass[], () => api.cluster.listStorageClasses()) : ([] as StorageClass[]),
    Promise.all(namespaces.map(async (ns) => [ns, await readNamespace(api, ns, input.deployments.filter((d) => d.deployment.metadata!.namespace === ns).map((d) => d.deployment))] as const)).then((l) => new Map(l)),
    Promise.all(input.deployments.map(({ deployment }, i) => dryRun(podNotes[i]!, `dry run of a pod of ${deployment.metadata!.namespace}/${deployment.metadata!.name}`, created, () => api.dryRunPod(podOf(deployment))))),
  ]);

  // Stage 2: the Deployment's dry run and the registry checks; pods namespace by namespace when the cluster's could not be read.
  const podsOf = new Map<string, Promise<Pod[]>>();
  const namespacePods = (ns: string, notes: CollectionNote[]) => {
    if (allPods) return Promise.resolve(allPods.filter((p) => p.metadata?.namespace === ns));
    if (!podsOf.has(ns)) podsOf.set(ns, soft(`pods of ${ns}`, [] as Pod[], () => api.listNamespacePods(ns)));
    notes.push({ source: 'pods of all namespaces', message: "could not be read: the scheduler is predicted from this namespace's pods alone" });
    return podsOf.get(ns)!;
  };
  const checks = new Map<string, Promise<{ check?: RegistryCheck; error?: string }>>();
  const check = async (image: string, credentials: RegistryCredential[], notes: CollectionNote[]) => {
    const key = [image, ...credentials.map(credentialIdentity)].join('\0');
    if (!checks.has(key)) checks.set(key, registry ? registry.check(image, credentials).then((c) => ({ check: c }), (e: unknown) => ({ error: redactText(toMedicError(e).message) })) : Promise.resolve({}));
    const { check: result, error } = await checks.get(key)!;
    if (error) notes.push({ source: `registry check of ${image}`, message: error });
    return result;
  };
  return Promise.all(
    input.deployments.map(async ({ source, deployment }, i): Promise<PreflightWorld> => {
      const ns = deployment.metadata!.namespace!;
      const name = deployment.metadata!.name!;
      const here = byNamespace.get(ns)!;
      const notes = [...clusterNotes, ...here.notes, ...podNotes[i]!];
      const live = here.deployments ? named(here.deployments, name) : await softly(notes)(`deployment ${name}`, undefined, () => api.findDeployment(ns, name));
      const candidate = withLiveReplicas(deployment, live);
      const saName = serviceAccountOf(candidate);
      const serviceAccount = named(inputObjects<ServiceAccount>(input.objects, 'ServiceAccount', ns), saName) ?? named(here.serviceAccounts, saName);
      const pullSecrets = overlayByName(here.pullSecrets, inputObjects<Secret>(input.objects, 'Secret', ns).filter((s) => PULL_SECRET_TYPES.includes(s.type ?? '')));
      const pullNames = new Set([...(candidate.spec?.template?.spec?.imagePullSecrets ?? []), ...(serviceAccount?.imagePullSecrets ?? [])].map((r) => r.name));
      const credentials = pullSecrets.filter((s) => pullNames.has(s.metadata?.name)).flatMap((s) => credentialsFromSecret(s));
      const images = [...new Set(containersOf(candidate.spec?.template?.spec).map((x) => x.image ?? '').filter(Boolean))];
      const [deploymentDryRun, registryChecks, podsHere] = await Promise.all([
        dryRun(notes, `dry run of deployment ${ns}/${name}`, created, () => api.dryRunDeployment(liveAnnotated(candidate, live), live !== undefined)),
        Promise.all(images.map((image) => check(image, credentials, notes))),
        namespacePods(ns, notes),
      ]);
      const liveRS = live ? controlledBy([live], here.replicaSets) : [];
      const templates = [candidate.spec?.template, ...liveRS.map((rs) => rs.spec?.template)];
      const services = overlayByName(here.services, inputObjects<Service>(input.objects, 'Service', ns))
        .filter((s) => s.spec?.selector && templates.some((t) => selectorMatches(s.spec!.selector!, t?.metadata?.labels) || selectorNearMiss(s.spec!.selector!, t?.metadata?.labels)))
        .map((service) => ({ service, endpoints: named(here.endpoints, service.metadata?.name ?? '') }));
      const mounted = new Set(claimsOf(candidate));
      for (const result of [deploymentDryRun, podDryRuns[i]]) if (result && !result.ok && isPermissionRefusal(result.message)) notes.push({ source: 'dry run', message: result.message });
      return {
        source,
        candidate,
        ...(deploymentDryRun ? { deploymentDryRun } : {}),
        ...(podDryRuns[i] ? { podDryRun: podDryRuns[i] } : {}),
        ...(live ? { live } : {}),
        replicaSets: liveRS,
        pods: controlledBy(liveRS, podsHere),
        clusterPods: (allPods ?? podsHere).filter((p) => !isTerminal(p)),
        nodes,
        resourceQuotas: overlayByName(here.quotas, inputObjects<ResourceQuota>(input.objects, 'ResourceQuota', ns)),
        configRefs: configRefsOf(candidate, here, input),
        ...(saName !== 'default' ? { serviceAccount: { name: saName, exists: serviceAccount !== undefined } } : {}),
        persistentVolumeClaims: claimsWithInput(here.claims, inputObjects<PersistentVolumeClaim>(input.objects, 'PersistentVolumeClaim', ns), classes).filter((p) => mounted.has(p.metadata?.name ?? '')),
        storageClasses: classes,
        services,
        events: here.claimEvents.filter((e) => mounted.has(e.involvedObject.name ?? '')),
        registry: registryChecks.filter((r): r is RegistryCheck => r !== undefined),
        notes,
        collectedAt: clock.now().toISOString(),
      };
    }),
  );
}

/**
 * A dry run, softly. In a namespace the input itself creates, the API
 * server cannot judge anything yet: its "namespace not found" is a note,
 * not a refusal.
 */
async function dryRun<T>(notes: CollectionNote[], source: string, created: Set<string>, run: () => Promise<DryRun<T>>): Promise<DryRun<T> | undefined> {
  const result = await softly(notes)(source, undefined, run);
  const missing = result && !result.ok && result.status === 404 ? /namespaces? "?([^"\s]+)"? not found/.exec(result.message)?.[1] : undefined;
  if (!missing || !created.has(missing)) return result;
  notes.push({ source, message: `namespace ${missing} is created by the input, so nothing in it can be dry-run yet` });
  return undefined;
}

/** The template's Secrets and ConfigMaps: the input's own first, then the namespace's. */
function configRefsOf(d: Deployment, here: NamespaceReads, input: PreflightInput): ConfigRef[] {
  const ns = d.metadata!.namespace!;
  return referencedConfig(d.spec?.template?.spec).flatMap(({ kind, name }): ConfigRef[] => {
    const own = named(inputObjects<Secret | ConfigMap>(input.objects, kind, ns), name);
    if (own) return [configRefOf(kind, name, own)];
    if (kind === 'Secret') return here.secrets.get(name) ? [here.secrets.get(name)!] : [];
    return here.configMaps ? [configRefOf(kind, name, named(here.configMaps, name))] : [];
  });
}

/** kubectl apply of a manifest without replicas leaves the live count alone. */
function withLiveReplicas(d: Deployment, live: Deployment | undefined): Deployment {
  if (d.spec?.replicas !== undefined || live?.spec?.replicas === undefined) return d;
  return { ...d, spec: { ...d.spec!, replicas: live.spec.replicas } };
}

/** The update as kubectl apply makes it: the live annotations stay beside the manifest's. */
function liveAnnotated(d: Deployment, live: Deployment | undefined): Deployment {
  return live ? { ...d, metadata: { ...d.metadata, annotations: { ...live.metadata?.annotations, ...d.metadata?.annotations } } } : d;
}

/** The input's claims that do not exist yet, as they would be created: Pending, with the default StorageClass when they name none. */
function claimsWithInput(live: PersistentVolumeClaim[], input: PersistentVolumeClaim[], classes: StorageClass[]): PersistentVolumeClaim[] {
  const fallback = classes.find((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true')?.metadata?.name;
  const fresh = input
    .filter((p) => !named(live, p.metadata?.name ?? ''))
    .map((p) => ({ ...p, spec: { ...p.spec, ...(p.spec?.storageClassName === undefined && fallback ? { storageClassName: fallback } : {}) }, status: { phase: 'Pending' } }));
  return [...live, ...fresh];
}
