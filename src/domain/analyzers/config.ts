import type { Container, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding, FindingCode, Fix } from '../finding.js';
import type { ConfigRef, DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, currentContainers, eventEvidence, groupBy, podsPhrase, rollbackFixes, templateOfRevision, uniqueSorted, type AnalysisContext } from './context.js';

type ConfigCode = Extract<FindingCode, 'MISSING_SECRET' | 'MISSING_CONFIGMAP' | 'MISSING_CONFIG_KEY'>;

interface Missing {
  code: ConfigCode;
  kind: 'Secret' | 'ConfigMap';
  object: string;
  key?: string;
  pod: string;
  /** Where it was seen: the container's waiting status or a FailedMount event. */
  evidence: Evidence;
}

/** The kubelet's words (k8s-fidelity §4.6, §4.7): singular, unqualified resource names. */
function parseConfigError(message: string): Pick<Missing, 'code' | 'kind' | 'object' | 'key'> | undefined {
  const key = /couldn't find key (\S+) in (Secret|ConfigMap) [^/\s]+\/(\S+)/.exec(message);
  if (key) return { code: 'MISSING_CONFIG_KEY', kind: key[2] as 'Secret' | 'ConfigMap', object: key[3]!, key: key[1]! };
  const obj = /\b(secret|configmap) "([^"]+)" not found/.exec(message);
  if (!obj) return undefined;
  return obj[1] === 'secret' ? { code: 'MISSING_SECRET', kind: 'Secret', object: obj[2]! } : { code: 'MISSING_CONFIGMAP', kind: 'ConfigMap', object: obj[2]! };
}

/** Pods of the failing revision that cannot start because a Secret, ConfigMap or key they reference is missing. */
export function analyzeConfig(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const missing: Missing[] = [];
  for (const c of currentContainers(ctx)) {
    const w = c.status.state?.waiting;
    const parsed = w?.reason === 'CreateContainerConfigError' && parseConfigError(w.message ?? '');
    if (parsed) missing.push({ ...parsed, pod: c.podName, evidence: { kind: 'status', name: `pod/${c.podName}`, detail: `container ${c.spec.name} waiting: CreateContainerConfigError: ${w.message}` } });
  }
  for (const pod of ctx.pods) {
    const name = pod.metadata?.name ?? '';
    for (const e of ctx.events.filter((x) => x.reason === 'FailedMount' && x.involvedObject.kind === 'Pod' && x.involvedObject.name === name)) {
      const parsed = parseConfigError(e.message ?? '');
      if (parsed) missing.push({ ...parsed, pod: name, evidence: eventEvidence(e) });
    }
  }
  return [...groupBy(missing, (m) => `${m.code}\u0000${m.object}\u0000${m.key ?? ''}`).values()].map((group) => configFinding(ctx, group));
}

/** Env vars and volumes of a template that reference the object: names only. */
function referencesIn(template: PodTemplateSpec | undefined, kind: 'Secret' | 'ConfigMap', object: string): string[] {
  const spec = template?.spec;
  const refs: string[] = [];
  const containers: Container[] = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      const r = kind === 'Secret' ? e.valueFrom?.secretKeyRef : e.valueFrom?.configMapKeyRef;
      if (r?.name === object) refs.push(`env ${e.name} → key ${r.key}`);
    }
    for (const e of c.envFrom ?? []) if ((kind === 'Secret' ? e.secretRef : e.configMapRef)?.name === object) refs.push(`envFrom in ${c.name}`);
  }
  for (const v of spec?.volumes ?? []) if ((kind === 'Secret' ? v.secret?.secretName : v.configMap?.name) === object) refs.push(`volume ${v.name}`);
  return refs;
}

/** "SMTP_PASSWORD" ~ "smtp-password": the same key modulo case and separators. */
const looseKey = (k: string) => k.toLowerCase().replace(/[-_.]/g, '');

function configFinding(ctx: AnalysisContext, group: Missing[]): Finding {
  const { code, kind, object, key } = group[0]!;
  const pods = uniqueSorted(group.map((m) => m.pod));
  const ref: ConfigRef | undefined = ctx.snapshot.configRefs.find((r) => r.kind === kind && r.name === object);
  const usedBy = referencesIn(ctx.deployment.spec?.template, kind, object);
  // Did this revision introduce the reference (or the key)? Then the change, not the cluster, is what broke.
  const before = referencesIn(templateOfRevision(ctx, ctx.lastHealthy), kind, object);
  const newRef = ctx.lastHealthy !== null && ctx.lastHealthy !== ctx.revision && !before.some((r) => key === undefined || r.endsWith(`→ key ${key}`));
  const evidence: Evidence[] = [...new Map(group.map((m) => [m.evidence.detail, m.evidence])).values()];
  if (usedBy.length) evidence.push({ kind: 'spec', name: `deployment/${ctx.name}`, detail: `${kind} ${object} referenced by ${usedBy.join(', ')}` });
  if (ref) evidence.push({ kind: 'spec', name: `${kind.toLowerCase()}/${object}`, detail: ref.exists ? `exists with keys: ${ref.keys.join(', ') || '(none)'}` : 'does not exist' });
  const since = newRef ? ` Revision ${ctx.revision} added this reference; revision ${ctx.lastHealthy} did not use ${key ?? 'it'}.` : '';
  const where = podsPhrase(pods);
  const fixes: Fix[] = [];
  let title: string;
  let summary: string;
  if (code === 'MISSING_CONFIG_KEY') {
    const keys = ref?.exists ? ref.keys : [];
    const near = keys.find((k) => looseKey(k) === looseKey(key!));
    title = `Key ${key} missing from ${kind} ${object}`;
    summary = `${kind} ${object} has no key ${key}${keys.length ? ` (it has ${keys.join(', ')})` : ''}, so containers on ${where} cannot be created.${near ? ` Did you mean ${near}?` : ''}${since}`;
    if (near) fixes.push({ kind: 'manual', title: `Reference key ${near} instead of ${key}`, command: `kubectl edit deployment/${ctx.name} -n ${ctx.namespace}` });
  } else {
    title = `${kind} ${object} not found`;
    summary = `${kind} ${object} does not exist in ${ctx.namespace}, so containers on ${where} cannot be created${usedBy.length ? ` (used by ${usedBy.join(', ')})` : ''}.${since} Create it or roll back.`;
    const keys = uniqueSorted(usedBy.map((u) => /→ key (.+)$/.exec(u)?.[1] ?? '').filter(Boolean));
    const from = keys.length ? keys.map((k) => ` --from-literal=${k}=<value>`).join('') : ' --from-literal=<key>=<value>';
    const command = kind === 'Secret' ? `kubectl create secret generic ${object} -n ${ctx.namespace}${from}` : `kubectl create configmap ${object} -n ${ctx.namespace}${from}`;
    fixes.push({ kind: 'manual', title: `Create ${kind} ${object}`, command });
  }
  return { code, severity: ctx.impact, title, summary, evidence, fixes: [...fixes, ...rollbackFixes(ctx)], pods };
}
