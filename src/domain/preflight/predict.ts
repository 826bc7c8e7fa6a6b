import type { Container, PodSpec, Probe } from 'kubernetes-types/core/v1.js';
import { parseImageRef } from '../image-ref.js';
import type { ConfigRef, RegistryCheck } from '../snapshot.js';
import type { Waiting } from './pods.js';

/**
 * What the kubelet would say about each container of the new template,
 * predicted from the spec and what was read: image pulls (from the registry
 * checks), environment and volume references (from the Secrets and
 * ConfigMaps that exist), and probes aimed at undeclared ports.
 */
const containersOf = (spec: PodSpec | undefined): Container[] => [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];

/**
 * Containers whose image the nodes could not pull, by the registry's
 * answer (an error answer predicts nothing). The waiting message is the
 * back-off line alone, so the diagnosis weighs the registry check (same
 * credentials, asked directly) as it does when the nodes' words are missing.
 */
export function pullTroubles(spec: PodSpec | undefined, checks: RegistryCheck[]): Waiting[] {
  const out: Waiting[] = [];
  for (const c of containersOf(spec)) {
    const image = c.image ?? '';
    const parsed = parseImageRef(image);
    if (!parsed.ok) {
      out.push({ container: c.name, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": ${parsed.reason}` });
      continue;
    }
    const check = checks.find((x) => x.image === image);
    if (check && check.status !== 'found' && check.status !== 'error') out.push({ container: c.name, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` });
  }
  return out;
}

type Kind = 'Secret' | 'ConfigMap';
const known = (refs: ConfigRef[], kind: Kind, name: string) => refs.find((r) => r.kind === kind && r.name === name);
const lower = (k: Kind) => (k === 'Secret' ? 'secret' : 'configmap');

/**
 * Every environment reference the kubelet would fail on (CreateContainerConfigError),
 * one per missing object or key, not only the first it would meet. References
 * to objects that could not be read are not guessed at.
 */
export function environmentTroubles(spec: PodSpec | undefined, refs: ConfigRef[], namespace: string): Waiting[] {
  const out: Waiting[] = [];
  const missing = (c: Container, kind: Kind, name: string | undefined, key?: string, optional?: boolean) => {
    if (!name || optional) return;
    const ref = known(refs, kind, name);
    if (!ref) return;
    if (!ref.exists) out.push({ container: c.name, reason: 'CreateContainerConfigError', message: `${lower(kind)} "${name}" not found` });
    else if (key !== undefined && !ref.keys.includes(key)) out.push({ container: c.name, reason: 'CreateContainerConfigError', message: `couldn't find key ${key} in ${kind} ${namespace}/${name}` });
  };
  for (const c of containersOf(spec)) {
    for (const from of c.envFrom ?? []) {
      if (from.secretRef) missing(c, 'Secret', from.secretRef.name, undefined, from.secretRef.optional);
      if (from.configMapRef) missing(c, 'ConfigMap', from.configMapRef.name, undefined, from.configMapRef.optional);
    }
    for (const e of c.env ?? []) {
      const s = e.valueFrom?.secretKeyRef;
      const m = e.valueFrom?.configMapKeyRef;
      if (s) missing(c, 'Secret', s.name, s.key, s.optional);
      if (m) missing(c, 'ConfigMap', m.name, m.key, m.optional);
    }
  }
  return [...new Map(out.map((w) => [`${w.container}\u0000${w.message}`, w])).values()];
}

/** Secret and ConfigMap volumes (projected ones too) the kubelet could not mount, as its FailedMount messages. */
export function mountTroubles(spec: PodSpec | undefined, refs: ConfigRef[]): string[] {
  const out: string[] = [];
  const check = (volume: string, kind: Kind, name: string | undefined, optional?: boolean) => {
    if (!name || optional) return;
    const ref = known(refs, kind, name);
    if (ref && !ref.exists) out.push(`MountVolume.SetUp failed for volume "${volume}" : ${lower(kind)} "${name}" not found`);
  };
  for (const v of spec?.volumes ?? []) {
    check(v.name, 'Secret', v.secret?.secretName, v.secret?.optional);
    check(v.name, 'ConfigMap', v.configMap?.name, v.configMap?.optional);
    for (const s of v.projected?.sources ?? []) {
      check(v.name, 'Secret', s.secret?.name, s.secret?.optional);
      check(v.name, 'ConfigMap', s.configMap?.name, s.configMap?.optional);
    }
  }
  return out;
}

export interface ProbeMiss {
  container: string;
  kind: 'liveness' | 'readiness' | 'startup';
  /** The prober's words for a port nobody listens on, with the pod IP unknown. */
  output: string;
}

const KINDS = ['liveness', 'readiness', 'startup'] as const;

/**
 * Probes that dial a port the container does not declare, when it declares
 * some: the app listens where it says it does, so the probe would be refused.
 */
export function probeMisses(spec: PodSpec | undefined): ProbeMiss[] {
  const out: ProbeMiss[] = [];
  for (const c of spec?.containers ?? []) {
    const declared = (c.ports ?? []).map((p) => p.containerPort);
    if (!declared.length) continue;
    for (const kind of KINDS) {
      const probe: Probe | undefined = c[`${kind}Probe`];
      const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
      if (!probe || port === undefined) continue;
      const number = typeof port === 'number' || /^\d+$/.test(port) ? Number(port) : c.ports?.find((p) => p.name === port)?.containerPort;
      if (number !== undefined && declared.includes(number)) continue;
      if (number === undefined) {
        out.push({ container: c.name, kind, output: `unable to find port "${port}" in container ${c.name}` });
        continue;
      }
      const refused = `dial tcp <pod IP>:${number}: connect: connection refused`;
      const http = probe.httpGet;
      const path = http ? (http.path ?? '/').replace(/^(?!\/)/, '/') : '';
      out.push({ container: c.name, kind, output: http ? `Get "${(http.scheme ?? 'HTTP').toLowerCase()}://<pod IP>:${number}${path}": ${refused}` : refused });
    }
  }
  return out;
}
