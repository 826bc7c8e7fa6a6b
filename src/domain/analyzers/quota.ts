import type { Event } from 'kubernetes-types/core/v1.js';
import { eventCount } from '../events.js';
import type { Evidence, Finding } from '../finding.js';
import { plural } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, createFailures, eventEvidence, groupBy, rollbackFixes, type AnalysisContext } from './context.js';

/** One quota rejection, parsed from the apiserver's words (k8s-fidelity §2.4). */
export interface QuotaRejection {
  quota: string;
  /** The full message, as the event or condition carries it. */
  message: string;
  /** Resource → quantity text, for "exceeded quota" messages; empty for "failed quota". */
  requested: Record<string, string>;
  used: Record<string, string>;
  limited: Record<string, string>;
  /** For "failed quota": what every container must specify. */
  mustSpecify?: string;
  replicaSet?: string;
  event?: Event;
}

const pairs = (list: string) => Object.fromEntries(list.split(',').map((p) => p.split('=') as [string, string]).filter(([k, v]) => k && v !== undefined));

/** Unanchored, so the event recorder's "(combined from similar events): " prefix does not matter. */
export function parseQuotaMessage(text: string): Omit<QuotaRejection, 'message'> | undefined {
  const exceeded = /exceeded quota: ([^,]+), requested: (\S+?), used: (\S+?), limited: (\S+)/.exec(text);
  if (exceeded) return { quota: exceeded[1]!, requested: pairs(exceeded[2]!), used: pairs(exceeded[3]!), limited: pairs(exceeded[4]!) };
  const failed = /failed quota: ([^:]+): (.+)$/.exec(text);
  if (failed) return { quota: failed[1]!, requested: {}, used: {}, limited: {}, mustSpecify: failed[2]! };
  return undefined;
}

/** Quota rejections of pod creation for this deployment's ReplicaSets: FailedCreate events, then ReplicaFailure conditions. */
export function quotaRejections(ctx: AnalysisContext): QuotaRejection[] {
  return createFailures(ctx).flatMap((f) => {
    const parsed = parseQuotaMessage(f.message);
    return parsed ? [{ ...parsed, ...f }] : [];
  });
}

/** The namespace's ResourceQuotas refuse the failing revision's pods. */
export function analyzeQuota(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  return [...groupBy(quotaRejections(ctx), (r) => r.quota).values()].map((group) => quotaFinding(ctx, group));
}

function quotaFinding(ctx: AnalysisContext, group: QuotaRejection[]): Finding {
  const events = group.filter((r) => r.event);
  const latest = events.at(-1) ?? group[0]!;
  const { quota, requested, used, limited, mustSpecify } = latest;
  const status = ctx.snapshot.resourceQuotas.find((q) => q.metadata?.name === quota)?.status;
  const attempts = events.reduce((n, r) => n + eventCount(r.event!), 0);
  const evidence: Evidence[] = [];
  if (latest.event) evidence.push(eventEvidence(latest.event));
  const condition = group.find((r) => !r.event && !r.replicaSet) ?? group.find((r) => !r.event);
  if (condition) evidence.push({ kind: 'condition', name: condition.replicaSet ? `replicaset/${condition.replicaSet}` : `deployment/${ctx.name}`, detail: `ReplicaFailure True FailedCreate: ${condition.message}` });
  if (status) {
    const keys = Object.keys(status.hard ?? {}).sort();
    evidence.push({ kind: 'quota', name: `resourcequota/${quota}`, detail: keys.map((k) => `${k}: ${status.used?.[k] ?? '0'}/${status.hard![k]}`).join(', ') });
  }
  const resources = Object.keys(requested).sort();
  const tried = attempts ? ` (${plural(attempts, 'failed create attempt')})` : '';
  const rs = latest.replicaSet ? `ReplicaSet ${latest.replicaSet}` : 'The new ReplicaSet';
  const summary = mustSpecify
    ? `${rs} cannot create pods${tried}: quota ${quota} requires every container to declare resources (${mustSpecify}). Add them to the pod template or roll back.`
    : `${rs} cannot create pods${tried}: quota ${quota} would be exceeded (${resources.map((r) => `${r}: ${used[r]} used + ${requested[r]} requested > ${limited[r]}`).join('; ')}). Raise the quota, lower the requests, or roll back.`;
  return {
    code: 'QUOTA_EXCEEDED',
    severity: ctx.impact,
    title: mustSpecify ? `Quota ${quota} rejects pods without resource settings` : `Quota ${quota} exceeded: ${resources.join(', ')}`,
    summary,
    evidence,
    fixes: [
      ...rollbackFixes(ctx),
      { kind: 'manual', title: `Raise ResourceQuota ${quota} (needs namespace admin)`, command: `kubectl edit resourcequota ${quota} -n ${ctx.namespace}` },
    ],
    pods: [],
  };
}
