import type { Container, Namespace, Pod } from 'kubernetes-types/core/v1.js';
import { resourceOfKind } from '../resources.js';
import { StatusError } from '../status-error.js';
import type { AdmissionHook } from '../store.js';

const NAMESPACES = resourceOfKind('Namespace');
const LEVELS = ['privileged', 'baseline', 'restricted'] as const;
type Level = (typeof LEVELS)[number];

interface Check {
  level: Exclude<Level, 'privileged'>;
  /** undefined when the pod passes; otherwise "reason (detail)". */
  run(pod: Pod, containers: Container[]): string | undefined;
}

const pluralize = (names: string[]) => `${names.length === 1 ? 'container' : 'containers'} ${names.map((n) => JSON.stringify(n)).join(', ')}`;
const failing = (containers: Container[], bad: (c: Container) => boolean) => containers.filter(bad).map((c) => c.name);

/**
 * The Pod Security Standards checks the simulator knows, in the order of
 * their IDs (the order PodSecurity reports them in), worded as
 * k8s.io/pod-security-admission words them.
 */
const CHECKS: Check[] = [
  {
    level: 'restricted', // allowPrivilegeEscalation
    run: (_pod, cs) => {
      const bad = failing(cs, (c) => c.securityContext?.allowPrivilegeEscalation !== false);
      return bad.length ? `allowPrivilegeEscalation != false (${pluralize(bad)} must set securityContext.allowPrivilegeEscalation=false)` : undefined;
    },
  },
  {
    level: 'baseline', // capabilities_baseline (restricted replaces it with capabilities_restricted below)
    run: (_pod, cs) => {
      const allowed = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
      const added = (c: Container) => (c.securityContext?.capabilities?.add ?? []).filter((cap) => !allowed.includes(cap));
      const bad = failing(cs, (c) => added(c).length > 0);
      const caps = [...new Set(cs.flatMap(added))].sort().map((x) => JSON.stringify(x));
      return bad.length ? `non-default capabilities (${pluralize(bad)} must not include ${caps.join(', ')} in securityContext.capabilities.add)` : undefined;
    },
  },
  {
    level: 'restricted', // capabilities_restricted
    run: (_pod, cs) => {
      const added = (c: Container) => (c.securityContext?.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
      const noDrop = failing(cs, (c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
      const adding = failing(cs, (c) => added(c).length > 0);
      const details = [
        ...(noDrop.length ? [`${pluralize(noDrop)} must set securityContext.capabilities.drop=["ALL"]`] : []),
        ...(adding.length ? [`${pluralize(adding)} must not include ${[...new Set(cs.flatMap(added))].sort().map((x) => JSON.stringify(x)).join(', ')} in securityContext.capabilities.add`] : []),
      ];
      return details.length ? `unrestricted capabilities (${details.join('; ')})` : undefined;
    },
  },
  {
    level: 'baseline', // hostNamespaces
    run: (pod) => {
      const set = [pod.spec?.hostNetwork && 'hostNetwork=true', pod.spec?.hostPID && 'hostPID=true', pod.spec?.hostIPC && 'hostIPC=true'].filter(Boolean);
      return set.length ? `host namespaces (${set.join(', ')})` : undefined;
    },
  },
  {
    level: 'baseline', // privileged
    run: (_pod, cs) => {
      const bad = failing(cs, (c) => c.securityContext?.privileged === true);
      return bad.length ? `privileged (${pluralize(bad)} must not set securityContext.privileged=true)` : undefined;
    },
  },
  {
    level: 'restricted', // runAsNonRoot
    run: (pod, cs) => {
      const podLevel = pod.spec?.securityContext?.runAsNonRoot;
      if (podLevel === false) return 'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)';
      const explicitFalse = failing(cs, (c) => c.securityContext?.runAsNonRoot === false);
      if (explicitFalse.length) return `runAsNonRoot != true (${pluralize(explicitFalse)} must not set securityContext.runAsNonRoot=false)`;
      const unset = podLevel === true ? [] : failing(cs, (c) => c.securityContext?.runAsNonRoot !== true);
      return unset.length ? `runAsNonRoot != true (pod or ${pluralize(unset)} must set securityContext.runAsNonRoot=true)` : undefined;
    },
  },
  {
    level: 'restricted', // runAsUser
    run: (pod, cs) => {
      if (pod.spec?.securityContext?.runAsUser === 0) return 'runAsUser=0 (pod must not set runAsUser=0)';
      const bad = failing(cs, (c) => c.securityContext?.runAsUser === 0);
      return bad.length ? `runAsUser=0 (${pluralize(bad)} must not set runAsUser=0)` : undefined;
    },
  },
  {
    level: 'restricted', // seccompProfile_restricted
    run: (pod, cs) => {
      const ok = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';
      const podOk = ok(pod.spec?.securityContext?.seccompProfile?.type);
      const bad = failing(cs, (c) => (c.securityContext?.seccompProfile ? !ok(c.securityContext.seccompProfile.type) : !podOk));
      return bad.length ? `seccompProfile (pod or ${pluralize(bad)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")` : undefined;
    },
  },
];

/**
 * PodSecurity admission in enforce mode, from the namespace's
 * pod-security.kubernetes.io/enforce (and -version) labels. Only pod
 * creation is checked; the warnings it also sends for workload templates
 * are not modelled.
 */
export const enforcePodSecurity: AdmissionHook = (obj, { op, store }) => {
  if (op !== 'create' || obj.kind !== 'Pod') return;
  const ns = store.get(NAMESPACES, undefined, obj.metadata.namespace!) as unknown as Namespace | undefined;
  const labels = ns?.metadata?.labels ?? {};
  const level = labels['pod-security.kubernetes.io/enforce'] as Level | undefined;
  if (!level || !LEVELS.includes(level) || level === 'privileged') return;
  const version = labels['pod-security.kubernetes.io/enforce-version'] ?? 'latest';
  const pod = obj as unknown as Pod;
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const applicable = CHECKS.filter((c) => c.level === 'baseline' || level === 'restricted');
  // capabilities_restricted overrides capabilities_baseline at the restricted level.
  const checks = level === 'restricted' ? applicable.filter((c) => c !== CHECKS[1]) : applicable;
  const violations = checks.map((c) => c.run(pod, containers)).filter((v): v is string => v !== undefined);
  if (!violations.length) return;
  throw new StatusError(403, 'Forbidden', `pods "${obj.metadata.name}" is forbidden: violates PodSecurity "${level}:${version}": ${violations.join(', ')}`, {
    name: obj.metadata.name,
    kind: 'pods',
  });
};
