import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { parseRefusal } from '../analyzers/admission.js';
import { parseQuotaMessage } from '../analyzers/quota.js';
import type { Finding } from '../finding.js';
import { podReady } from '../pod-state.js';
import { controlledBy, revisionOf } from '../workload.js';
import { isPermissionRefusal } from './refusals.js';
import type { PreflightWorld } from './world.js';

/**
 * Preflight-only checks: what no would-be pod can show, because it is about
 * the Deployment object itself or about time the would-be world does not
 * have (how long the app takes to start).
 */

/** A Deployment refused at admission as a whole: by a webhook, or by an object-count quota. Undefined for any other answer. */
export function deploymentRefusalFinding(world: PreflightWorld): Finding | undefined {
  const dry = world.deploymentDryRun;
  if (!dry || dry.ok || dry.status !== 403 || isPermissionRefusal(dry.message)) return undefined;
  const d = world.candidate.metadata!;
  const ref = `deployment/${d.name}`;
  const evidence = [{ kind: 'spec' as const, name: ref, detail: `dry run (dryRun=All) of the ${world.live ? 'update' : 'creation'}: ${dry.message}` }];
  const quota = parseQuotaMessage(dry.message);
  if (quota) {
    return {
      code: 'QUOTA_EXCEEDED',
      severity: 'error',
      title: `Quota ${quota.quota} refuses the Deployment itself`,
      summary: `The API server would refuse to ${world.live ? 'update' : 'create'} Deployment ${d.namespace}/${d.name}: ${dry.message}. Raise the quota or remove something it counts.`,
      evidence,
      fixes: [{ kind: 'manual', title: `See ResourceQuota ${quota.quota}`, command: `kubectl describe resourcequota ${quota.quota} -n ${d.namespace}` }],
      pods: [],
    };
  }
  const refusal = parseRefusal(dry.message);
  if (refusal?.code !== 'ADMISSION_WEBHOOK_DENIED') return undefined;
  return {
    code: 'ADMISSION_WEBHOOK_DENIED',
    severity: 'error',
    title: `Admission webhook ${refusal.webhook} refuses the Deployment`,
    summary: `The API server would refuse to ${world.live ? 'update' : 'create'} Deployment ${d.namespace}/${d.name}: admission webhook "${refusal.webhook}" says "${refusal.reason}". Change the manifest to satisfy its policy, or ask its owners.`,
    evidence,
    fixes: [{ kind: 'manual', title: `Find the configuration of webhook ${refusal.webhook}`, command: 'kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations' }],
    pods: [],
  };
}

/** Seconds from container start to Ready of the slowest ready pod of the current revision, per container. */
function knownStartup(world: PreflightWorld): Map<string, { seconds: number; revision: number }> {
  const revision = revisionOf(world.live);
  const current = world.replicaSets.filter((rs) => revision > 0 && revisionOf(rs) === revision);
  const out = new Map<string, { seconds: number; revision: number }>();
  for (const pod of controlledBy(current, world.pods).filter(podReady)) {
    const ready = Date.parse(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
    for (const cs of pod.status?.containerStatuses ?? []) {
      const ms = ready - Date.parse(cs.state?.running?.startedAt ?? '');
      if (!Number.isFinite(ms) || ms < 0 || (cs.restartCount ?? 0) > 0) continue;
      const seconds = Math.round(ms / 1000);
      if (seconds > (out.get(cs.name)?.seconds ?? -1)) out.set(cs.name, { seconds, revision });
    }
  }
  return out;
}

/** When the kubelet kills a container that has not started answering: at the failureThreshold-th failure. */
const killedAfter = (p: Probe) => (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * ((p.failureThreshold ?? 3) - 1);
const startupAllows = (p: Probe) => (p.initialDelaySeconds ?? 0) + (p.periodSeconds ?? 10) * (p.failureThreshold ?? 3);
const roundUp30 = (s: number) => Math.ceil(s / 30) * 30;

/**
 * A probe that would kill the app before it is ready, judged by how long
 * the current revision's pods took to become ready: the liveness probe of
 * a container without a startup probe, or the startup probe itself. A
 * warning: the new version may start faster or slower.
 */
export function startupTimeFindings(world: PreflightWorld, stored: Deployment): Finding[] {
  const known = knownStartup(world);
  const d = stored.metadata!;
  const out: Finding[] = [];
  for (const c of stored.spec?.template?.spec?.containers ?? []) {
    const took = known.get(c.name);
    if (!took) continue;
    const finding = c.startupProbe ? startupFinding(c, c.startupProbe, took, d) : c.livenessProbe ? livenessFinding(c, c.livenessProbe, took, d) : undefined;
    if (finding) out.push(finding);
  }
  return out;
}

type Took = { seconds: number; revision: number };
type Meta = NonNullable<Deployment['metadata']>;

function livenessFinding(c: Container, p: Probe, took: Took, d: Meta): Finding | undefined {
  const budget = killedAfter(p);
  if (took.seconds < budget) return undefined;
  const delay = roundUp30(Math.max(2 * took.seconds, took.seconds + 30));
  return {
    code: 'LIVENESS_PROBE_FAILING',
    severity: 'warning',
    title: `${c.name}'s liveness probe would kill it before it is ready`,
    summary: `Revision ${took.revision}'s pods took ${took.seconds}s from start to ready, but the liveness probe of ${c.name} gives up after ${budget}s (initialDelaySeconds=${p.initialDelaySeconds ?? 0}, periodSeconds=${p.periodSeconds ?? 10}, failureThreshold=${p.failureThreshold ?? 3}) and there is no startupProbe. Add a startupProbe allowing ${delay}s, or raise initialDelaySeconds.`,
    evidence: [{ kind: 'spec', name: `deployment/${d.name}`, detail: `container ${c.name} livenessProbe: kills after ${budget}s; revision ${took.revision} was ready after ${took.seconds}s` }],
    fixes: [{ kind: 'set-probe', title: `Raise the liveness probe's initialDelaySeconds to ${delay}`, container: c.name, probe: 'liveness', initialDelaySeconds: delay }],
    pods: [],
  };
}

function startupFinding(c: Container, p: Probe, took: Took, d: Meta): Finding | undefined {
  const allows = startupAllows(p);
  if (took.seconds < allows) return undefined;
  const period = p.periodSeconds ?? 10;
  const threshold = Math.ceil((roundUp30(Math.max(2 * took.seconds, took.seconds + 30)) - (p.initialDelaySeconds ?? 0)) / period);
  return {
    code: 'STARTUP_PROBE_FAILING',
    severity: 'warning',
    title: `${c.name}'s startup probe would kill it before it is ready`,
    summary: `Revision ${took.revision}'s pods took ${took.seconds}s from start to ready, but the startup probe of ${c.name} allows ${allows}s (${p.failureThreshold ?? 3} × ${period}s). Raise its failureThreshold to ${threshold}.`,
    evidence: [{ kind: 'spec', name: `deployment/${d.name}`, detail: `container ${c.name} startupProbe: allows ${allows}s; revision ${took.revision} was ready after ${took.seconds}s` }],
    fixes: [],
    pods: [],
  };
}
