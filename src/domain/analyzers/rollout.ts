import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding } from '../finding.js';
import { parseQuantity } from '../quantity.js';
import { currentReplicaSet } from '../rollout.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { imagesOf, maxSurge, maxUnavailable } from '../workload.js';
import { analysisContext, eventEvidence, eventsAbout, rollbackFixes, templateOfRevision, type AnalysisContext } from './context.js';
import { quotaRejections } from './quota.js';
import { fitReasons, shortResource } from './scheduling.js';

/** The rollout as a whole: out of time, paused, or wedged by its own strategy. */
export function analyzeRollout(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  return [deadlineFinding(ctx), pausedFinding(ctx), stuckFinding(ctx)].filter((f): f is Finding => f !== undefined);
}

function deadlineFinding(ctx: AnalysisContext): Finding | undefined {
  const cond = ctx.deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (cond?.status !== 'False' || cond.reason !== 'ProgressDeadlineExceeded') return undefined;
  const s = ctx.deployment.status ?? {};
  const desired = ctx.deployment.spec?.replicas ?? 1;
  const deadline = ctx.deployment.spec?.progressDeadlineSeconds ?? 600;
  return {
    code: 'PROGRESS_DEADLINE_EXCEEDED',
    severity: ctx.impact,
    title: `Rollout of revision ${ctx.revision} exceeded its ${deadline}s progress deadline`,
    summary: `Revision ${ctx.revision} made no progress for ${deadline}s: ${s.updatedReplicas ?? 0} of ${desired} replicas updated, ${s.availableReplicas ?? 0} available. The controller has stopped waiting; the causes are in the other findings.`,
    evidence: [{ kind: 'condition', name: `deployment/${ctx.name}`, detail: `Progressing False ProgressDeadlineExceeded: ${cond.message ?? ''}${cond.lastUpdateTime ? ` (since ${cond.lastUpdateTime})` : ''}` }],
    fixes: rollbackFixes(ctx),
    pods: [],
  };
}

function pausedFinding(ctx: AnalysisContext): Finding | undefined {
  const d = ctx.deployment;
  if (!d.spec?.paused) return undefined;
  const target = currentReplicaSet(d, ctx.snapshot.replicaSets);
  const desired = d.spec.replicas ?? 1;
  if (target && (target.status?.replicas ?? 0) >= desired && (d.status?.updatedReplicas ?? 0) >= desired) return undefined;
  const running = imagesOf(ctx.currentRS?.spec?.template).join(', ');
  const wanted = imagesOf(d.spec.template).join(', ');
  const cond = d.status?.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'DeploymentPaused');
  const evidence: Evidence[] = [{ kind: 'spec', name: `deployment/${ctx.name}`, detail: `spec.paused=true; template images: ${wanted}` }];
  if (cond) evidence.push({ kind: 'condition', name: `deployment/${ctx.name}`, detail: `Progressing ${cond.status} ${cond.reason}: ${cond.message ?? ''}` });
  if (ctx.currentRS) evidence.push({ kind: 'status', name: `replicaset/${ctx.currentRS.metadata?.name}`, detail: `revision ${ctx.revision} runs ${running}: ${ctx.currentRS.status?.availableReplicas ?? 0}/${desired} available` });
  return {
    code: 'ROLLOUT_PAUSED',
    severity: 'warning',
    title: `Rollout paused: ${wanted} is not rolled out`,
    summary: `${ctx.name} is paused, so its changed template (${wanted}) is not rolled out${running && running !== wanted ? `; pods still run revision ${ctx.revision} (${running})` : ''}. Resume it if the change should go out.`,
    evidence,
    fixes: [{ kind: 'resume', title: `Resume the rollout of ${ctx.name}` }],
    pods: [],
  };
}

/** What one pod of a template counts against a quota resource or a node; undefined when we cannot tell. */
function perPod(t: PodTemplateSpec | undefined, resource: string): number | undefined {
  if (resource === 'pods' || resource === 'count/pods') return 1;
  const [scope, name] = resource.startsWith('limits.') ? ['limits', resource.slice(7)] : ['requests', resource.replace(/^requests\./, '')];
  if (!['cpu', 'memory', 'ephemeral-storage'].includes(name!)) return undefined;
  return (t?.spec?.containers ?? []).reduce((sum, c) => {
    const r = c.resources ?? {};
    // A container without a request gets its limit as the request (apiserver defaulting).
    const q = scope === 'limits' ? r.limits?.[name!] : (r.requests?.[name!] ?? r.limits?.[name!]);
    return sum + (parseQuantity(q) ?? 0);
  }, 0);
}

const active = (p: Pod) => !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

/**
 * ROLLOUT_STUCK: with maxUnavailable 0 the controller must add a new pod
 * before it may remove an old one. When that surge pod cannot exist (quota
 * or node capacity) but swapping old for new pods one at a time would fit
 * all the way to the end, only the strategy is in the way.
 */
function stuckFinding(ctx: AnalysisContext): Finding | undefined {
  const d = ctx.deployment;
  const desired = d.spec?.replicas ?? 1;
  if (d.spec?.paused || d.spec?.strategy?.type === 'Recreate' || desired === 0 || maxUnavailable(d) !== 0) return undefined;
  const oldT = ctx.lastHealthy !== ctx.revision ? templateOfRevision(ctx, ctx.lastHealthy) : undefined;
  const newT = ctx.currentRS?.spec?.template ?? d.spec?.template;
  if (!oldT) return undefined;
  const fits = (r: string) => {
    const [o, n] = [perPod(oldT, r), perPod(newT, r)];
    return o !== undefined && n !== undefined && n <= o;
  };
  const evidence: Evidence[] = [];
  let blocker: string | undefined;
  const ours = ctx.snapshot.pods.filter(active);
  const rsName = ctx.currentRS?.metadata?.name;
  for (const r of quotaRejections(ctx).filter((q) => !q.mustSpecify && (!q.replicaSet || q.replicaSet === rsName)).reverse()) {
    const resources = Object.keys(r.requested);
    // Each step frees one old pod and adds one new; the end state must fit too: everyone else's usage plus `desired` new pods.
    const ok = resources.length > 0 && resources.every((res) => {
      const [used, hard] = [parseQuantity(r.used[res]), parseQuantity(r.limited[res])];
      const [o, n] = [perPod(oldT, res), perPod(newT, res)];
      if (used === undefined || hard === undefined || o === undefined || n === undefined) return false;
      const others = used - ours.reduce((sum, p) => sum + (perPod({ spec: p.spec }, res) ?? 0), 0);
      return used - o + n <= hard && others + desired * n <= hard;
    });
    if (!ok) return undefined;
    blocker ??= `quota ${r.quota} has no room for a surge pod (${resources.map((res) => `${res}: ${r.used[res]}/${r.limited[res]} used`).join(', ')})`;
    if (r.event && !evidence.length) evidence.push(eventEvidence(r.event));
  }
  if (!blocker) {
    for (const pod of ctx.pods) {
      const e = eventsAbout(ctx, 'Pod', pod.metadata?.name ?? '', 'FailedScheduling').at(-1);
      const reasons = [...fitReasons(e?.message ?? '').keys()].filter((x) => !x.includes('untolerated taint'));
      if (!e || !reasons.length || !reasons.map(shortResource).every((r) => r !== undefined && fits(r))) continue;
      blocker = `no node has room for a surge pod (${reasons.join(', ')})`;
      evidence.push(eventEvidence(e));
      break;
    }
  }
  if (!blocker) return undefined;
  const ru = d.spec?.strategy?.rollingUpdate;
  const setting = ru?.maxUnavailable ?? '25%';
  const why = typeof setting === 'string' && setting.endsWith('%') ? `maxUnavailable ${setting} of ${desired} replicas rounds down to 0` : `maxUnavailable is 0`;
  evidence.unshift({
    kind: 'spec',
    name: `deployment/${ctx.name}`,
    detail: `strategy RollingUpdate maxSurge=${ru?.maxSurge ?? '25%'}, maxUnavailable=${ru?.maxUnavailable ?? '25%'}: with ${desired} replicas that is surge ${maxSurge(d)}, unavailable ${maxUnavailable(d)}`,
  });
  const patch = JSON.stringify({ spec: { strategy: { rollingUpdate: { maxUnavailable: 1 } } } });
  return {
    code: 'ROLLOUT_STUCK',
    severity: ctx.impact,
    title: `Rollout stuck: maxUnavailable resolves to 0 and ${blocker.split(' (')[0]}`,
    summary: `The controller must add a pod before it may remove one (${why}), but ${blocker}. Replacing pods one at a time would fit: allow maxUnavailable: 1 (${desired - 1} of ${desired} keep serving during the rollout), or roll back.`,
    evidence,
    fixes: [{ kind: 'manual', title: 'Set maxUnavailable to 1 so pods are replaced one at a time', command: `kubectl patch deployment ${ctx.name} -n ${ctx.namespace} -p '${patch}'` }, ...rollbackFixes(ctx)],
    pods: [],
  };
}
