import type { ConfigMap, Container, EnvVar, Pod, Secret, ServiceAccount } from 'kubernetes-types/core/v1.js';
import { resourceOfKind } from '../resources.js';
import type { ObjectStore } from '../store.js';
import { credentialsFromSecret, type RegistryCredential } from '../../../domain/docker-config.js';

const SECRETS = resourceOfKind('Secret');
const CONFIG_MAPS = resourceOfKind('ConfigMap');
const SERVICE_ACCOUNTS = resourceOfKind('ServiceAccount');

const get = <T>(store: ObjectStore, kind: typeof SECRETS, ns: string, name: string) => store.get(kind, ns, name) as unknown as T | undefined;

function keysOf(obj: Secret | ConfigMap): string[] {
  return [...Object.keys(obj.data ?? {}), ...Object.keys((obj as Secret).stringData ?? {}), ...Object.keys((obj as ConfigMap).binaryData ?? {})];
}

/**
 * makeEnvironmentVariables: the error the kubelet reports as
 * CreateContainerConfigError, or the resolved environment.
 */
export function resolveEnvironment(store: ObjectStore, pod: Pod, c: Container): { error: string } | { env: Record<string, string> } {
  const ns = pod.metadata!.namespace!;
  const env: Record<string, string> = {};
  for (const from of c.envFrom ?? []) {
    const ref = from.secretRef ?? from.configMapRef;
    if (!ref) continue;
    const isSecret = Boolean(from.secretRef);
    const obj = get<Secret | ConfigMap>(store, isSecret ? SECRETS : CONFIG_MAPS, ns, ref.name!);
    if (!obj) {
      if (ref.optional) continue;
      return { error: `${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found` };
    }
    for (const k of keysOf(obj)) env[(from.prefix ?? '') + k] = valueOf(obj, k, isSecret);
  }
  for (const e of c.env ?? []) {
    const resolved = resolveVar(store, ns, e);
    if ('error' in resolved) return resolved;
    if (resolved.value !== undefined) env[e.name] = resolved.value;
  }
  return { env };
}

function resolveVar(store: ObjectStore, ns: string, e: EnvVar): { error: string } | { value?: string } {
  if (e.value !== undefined || !e.valueFrom) return { value: e.value ?? '' };
  const ref = e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef;
  if (!ref) return { value: '' }; // fieldRef / resourceFieldRef: not modelled
  const isSecret = Boolean(e.valueFrom.secretKeyRef);
  const obj = get<Secret | ConfigMap>(store, isSecret ? SECRETS : CONFIG_MAPS, ns, ref.name!);
  if (!obj) return ref.optional ? {} : { error: `${isSecret ? 'secret' : 'configmap'} "${ref.name}" not found` };
  if (!keysOf(obj).includes(ref.key)) {
    return ref.optional ? {} : { error: `couldn't find key ${ref.key} in ${isSecret ? 'Secret' : 'ConfigMap'} ${ns}/${ref.name}` };
  }
  return { value: valueOf(obj, ref.key, isSecret) };
}

function valueOf(obj: Secret | ConfigMap, key: string, isSecret: boolean): string {
  const raw = obj.data?.[key];
  if (raw !== undefined) return isSecret ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  return (obj as Secret).stringData?.[key] ?? '';
}

/** Secret and ConfigMap volumes that cannot be mounted, as FailedMount messages. */
export function volumeErrors(store: ObjectStore, pod: Pod): string[] {
  const ns = pod.metadata!.namespace!;
  const errors: string[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v.secret && !v.secret.optional && !store.get(SECRETS, ns, v.secret.secretName!)) {
      errors.push(`MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found`);
    }
    if (v.configMap && !v.configMap.optional && !store.get(CONFIG_MAPS, ns, v.configMap.name!)) {
      errors.push(`MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found`);
    }
  }
  return errors;
}

/** Registry credentials from the pod's and its service account's image pull secrets. */
export function pullCredentials(store: ObjectStore, pod: Pod): RegistryCredential[] {
  const ns = pod.metadata!.namespace!;
  const sa = get<ServiceAccount>(store, SERVICE_ACCOUNTS, ns, pod.spec?.serviceAccountName ?? 'default');
  const names = [...(pod.spec?.imagePullSecrets ?? []), ...(sa?.imagePullSecrets ?? [])].map((r) => r.name!).filter(Boolean);
  return names.flatMap((name) => {
    const secret = get<Secret>(store, SECRETS, ns, name);
    return secret ? credentialsFromSecret(secret) : [];
  });
}
