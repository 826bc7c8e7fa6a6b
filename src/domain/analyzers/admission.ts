import { eventCount } from '../events.js';
import type { Evidence, Finding, FindingCode, Fix } from '../finding.js';
import { plural } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, createFailures, eventEvidence, groupBy, rollbackFixes, type AnalysisContext, type CreateFailure } from './context.js';
import { parseQuotaMessage } from './quota.js';

type CreateCode = Extract<FindingCode, 'LIMIT_RANGE_EXCEEDED' | 'POD_SECURITY_VIOLATION' | 'ADMISSION_WEBHOOK_DENIED' | 'POD_CREATE_FAILED'>;

/** The apiserver's refusal, parsed: LimitRanger, PodSecurity and webhook wording (apiserver admission plugins). */
export interface Refusal {
  code: CreateCode;
  /** What identifies one cause: the limit, the level, the webhook, or the message without pod names. */
  key: string;
  /** LimitRanger: "maximum memory usage per Container is 1Gi, but limit is 2Gi", one per violated limit. */
  limits?: Array<{ text: string; bound: 'maximum' | 'minimum'; resource: string; scope: string; allowed: string; value: string }>;
  /** PodSecurity: the level ("restricted:latest") and each violation as the admission said it. */
  level?: string;
  violations?: string[];
  webhook?: string;
  /** The webhook's (or the apiserver's) own explanation. */
  reason: string;
}

const LIMIT = /(maximum|minimum) (\S+) usage per (\w+) is (\S+), but (?:limit|request) is ([^,\]]+)/g;
const POD_SECURITY = /violates PodSecurity "([^"]+)": (.+)$/;
const WEBHOOK_DENIED = /admission webhook "([^"]+)" denied the request(?::\s*(.*)| without explanation)$/;
const WEBHOOK_FAILED = /failed calling webhook "([^"]+)": (.+)$/;

/** Splits "a (x), b (y (z)), c" at the top-level commas. */
function topLevelList(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (depth === 0 && text.startsWith(', ', i)) {
      out.push(text.slice(start, i));
      start = i + 2;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

export function parseRefusal(message: string): Refusal | undefined {
  if (parseQuotaMessage(message)) return undefined;
  const limits = [...message.matchAll(LIMIT)].map((m) => ({ text: m[0], bound: m[1] as 'maximum' | 'minimum', resource: m[2]!, scope: m[3]!, allowed: m[4]!, value: m[5]!.trim() }));
  if (limits.length) return { code: 'LIMIT_RANGE_EXCEEDED', key: limits.map((l) => l.text).join(';'), limits, reason: limits.map((l) => l.text).join('; ') };
  const psa = POD_SECURITY.exec(message);
  if (psa) return { code: 'POD_SECURITY_VIOLATION', key: psa[1]!, level: psa[1], violations: topLevelList(psa[2]!), reason: psa[2]! };
  const denied = WEBHOOK_DENIED.exec(message) ?? WEBHOOK_FAILED.exec(message);
  if (denied) return { code: 'ADMISSION_WEBHOOK_DENIED', key: denied[1]!, webhook: denied[1], reason: denied[2]?.trim() || 'denied without explanation' };
  // Anything else is quoted as said; pod names differ per attempt, so they do not split the cause.
  const reason = message.replace(/^Error creating: /, '');
  return { code: 'POD_CREATE_FAILED', key: reason.replace(/pods? "[^"]+"/g, 'pod'), reason };
}

/** The new revision's ReplicaSet cannot create pods: the apiserver's admission refused them for a reason other than quota. */
export function analyzeAdmission(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const rs = ctx.currentRS?.metadata?.name;
  const refused = createFailures(ctx)
    .filter((f) => !f.replicaSet || f.replicaSet === rs)
    .map((f) => ({ f, r: parseRefusal(f.message) }))
    .filter((x): x is { f: CreateFailure; r: Refusal } => x.r !== undefined);
  return [...groupBy(refused, (x) => `${x.r.code}\u0000${x.r.key}`).values()].map((group) => refusalFinding(ctx, group));
}

/** The patch that satisfies the restricted profile's usual violations, for the container named in them. */
function securityPatch(ctx: AnalysisContext, violations: string[]): string | undefined {
  const container = /container "([^"]+)"/.exec(violations.join(' '))?.[1] ?? ctx.deployment.spec?.template?.spec?.containers[0]?.name;
  const has = (re: RegExp) => violations.some((v) => re.test(v));
  const pod: Record<string, unknown> = {};
  const c: Record<string, unknown> = {};
  if (has(/^runAsNonRoot/)) pod.runAsNonRoot = true;
  if (has(/^seccompProfile/)) pod.seccompProfile = { type: 'RuntimeDefault' };
  if (has(/^allowPrivilegeEscalation/)) c.allowPrivilegeEscalation = false;
  if (has(/^unrestricted capabilities/)) c.capabilities = { drop: ['ALL'] };
  if (!Object.keys(pod).length && !Object.keys(c).length) return undefined;
  const spec = { ...(Object.keys(pod).length ? { securityContext: pod } : {}), ...(Object.keys(c).length ? { containers: [{ name: container, securityContext: c }] } : {}) };
  return `kubectl patch deployment ${ctx.name} -n ${ctx.namespace} --type=strategic -p '${JSON.stringify({ spec: { template: { spec } } })}'`;
}

/** Containers whose resource setting matches the value LimitRanger quotes ("limit is 2Gi"). */
function containersWith(ctx: AnalysisContext, resource: string, value: string): string[] {
  const all = [...(ctx.deployment.spec?.template?.spec?.initContainers ?? []), ...(ctx.deployment.spec?.template?.spec?.containers ?? [])];
  return all.filter((c) => c.resources?.limits?.[resource] === value || c.resources?.requests?.[resource] === value).map((c) => c.name);
}

function refusalFinding(ctx: AnalysisContext, group: Array<{ f: CreateFailure; r: Refusal }>): Finding {
  const events = group.filter((x) => x.f.event);
  const latest = events.at(-1) ?? group[0]!;
  const { r } = latest;
  const attempts = events.reduce((n, x) => n + eventCount(x.f.event!), 0);
  const evidence: Evidence[] = [];
  if (latest.f.event) evidence.push(eventEvidence(latest.f.event));
  const condition = group.find((x) => !x.f.event);
  if (condition) evidence.push({ kind: 'condition', name: condition.f.replicaSet ? `replicaset/${condition.f.replicaSet}` : `deployment/${ctx.name}`, detail: `ReplicaFailure True FailedCreate: ${condition.f.message}` });
  const rs = latest.f.replicaSet ?? ctx.currentRS?.metadata?.name;
  const tried = attempts ? ` (${plural(attempts, 'failed create attempt')})` : '';
  const who = `ReplicaSet ${rs ?? 'of the new revision'} cannot create pods${tried}`;
  const fixes: Fix[] = [];
  let title: string;
  let summary: string;
  switch (r.code) {
    case 'LIMIT_RANGE_EXCEEDED': {
      const shown = r.limits!.map((l) => {
        const names = containersWith(ctx, l.resource, l.value);
        return { ...l, names, phrase: `${l.bound} ${l.resource} per ${l.scope} is ${l.allowed}, ${names.length ? `container ${names.join(', ')} sets` : 'the pod asks for'} ${l.value}` };
      });
      title = `LimitRange refuses pods: ${shown.map((l) => `${l.resource} ${l.value} ${l.bound === 'maximum' ? '>' : '<'} ${l.allowed}`).join(', ')}`;
      summary = `${who}: the namespace's LimitRange says ${shown.map((l) => l.phrase).join('; ')}. Bring the value within the limit or roll back.`;
      for (const l of shown) {
        for (const name of l.names) {
          if (l.resource === 'memory' && l.bound === 'maximum') fixes.push({ kind: 'set-memory-limit', title: `Set ${name}'s memory limit to ${l.allowed} (the LimitRange maximum)`, container: name, memory: l.allowed });
        }
      }
      fixes.push({ kind: 'manual', title: 'See the namespace LimitRange', command: `kubectl describe limitrange -n ${ctx.namespace}` });
      break;
    }
    case 'POD_SECURITY_VIOLATION': {
      const fields = [...new Set(r.violations!.flatMap((v) => [...v.matchAll(/securityContext\.[\w.]+/g)].map((m) => m[0])))];
      title = `Pod Security "${r.level}" refuses the pods: ${r.violations!.map((v) => v.split(' (')[0]).join(', ')}`;
      summary = `${who}: namespace ${ctx.namespace} enforces Pod Security level "${r.level}" and the pod template violates it: ${r.violations!.join('; ')}.${fields.length ? ` Set ${fields.join(', ')}, or roll back.` : ' Roll back or fix the pod template.'}`;
      const patch = securityPatch(ctx, r.violations!);
      if (patch) fixes.push({ kind: 'manual', title: `Set the securityContext fields "${r.level}" requires`, command: patch });
      break;
    }
    case 'ADMISSION_WEBHOOK_DENIED':
      title = `Admission webhook ${r.webhook} ${/denied/.test(latest.f.message) ? 'denies' : 'fails on'} the pods`;
      summary = `${who}: admission webhook "${r.webhook}" ${/denied/.test(latest.f.message) ? `denied the request: "${r.reason}"` : `could not be called: "${r.reason}"`}. Change the pod template to satisfy its policy, ask its owners, or roll back.`;
      fixes.push({ kind: 'manual', title: `Find the configuration of webhook ${r.webhook}`, command: 'kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations' });
      break;
    case 'POD_CREATE_FAILED':
      title = `Pods cannot be created: ${r.reason.length > 100 ? `${r.reason.slice(0, 97)}...` : r.reason}`;
      summary = `${who}: the apiserver answered "${r.reason}".`;
      if (rs) fixes.push({ kind: 'manual', title: `Read the ReplicaSet's events`, command: `kubectl describe replicaset ${rs} -n ${ctx.namespace}` });
      break;
  }
  return { code: r.code, severity: ctx.impact, title, summary, evidence, fixes: [...fixes, ...rollbackFixes(ctx)], pods: [] };
}
