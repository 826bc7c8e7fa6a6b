import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { containerStatuses } from './pod-state.js';
import { parseQuantity } from './quantity.js';
import { rolloutStatus } from './rollout.js';

/**
 * Whether an executed action holds, as seed 004's checklist asks: every
 * replica updated and available, Progressing healthy, then no container
 * restart and no OOMKill for the settle period; memory use against the limit
 * (above 90 % is a warning) and the autoscaler's state are reported. Pure: the
 * service reads, this decides, on the injected clock.
 */

/** metrics.k8s.io/v1beta1 PodMetrics, as `kubectl top pods` reads it. */
export interface PodMetrics {
  metadata: { name: string; namespace?: string };
  containers: Array<{ name: string; usage: { cpu?: string; memory?: string } }>;
}

/** What the first complete check saw: restarts per pod/container, so later ones are new. */
export interface SettleBaseline {
  completeAt: string;
  restarts: Record<string, number>;
}

export interface VerificationInput {
  deployment: Deployment;
  /** Pods of the deployment's current ReplicaSet. */
  pods: Pod[];
  /** Undefined when the metrics API did not answer. */
  metrics: PodMetrics[] | undefined;
  hpas: HorizontalPodAutoscaler[];
  now: Date;
  settleSeconds: number;
  /** Set once the rollout was seen complete. */
  baseline?: SettleBaseline;
  /** Pause takes effect at once: nothing rolls out, nothing settles. */
  settles: boolean;
}

export type VerificationVerdict =
  | { state: 'rolling'; message: string }
  | { state: 'settling'; message: string; baseline: SettleBaseline; remainingSeconds: number }
  | { state: 'verified'; message: string; warnings: string[] }
  | { state: 'failed'; message: string; stillRunning: string[] };

const MEMORY_WARNING_RATIO = 0.9;

const key = (pod: string, container: string) => `${pod}/${container}`;

function restartsOf(pods: Pod[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of pods) for (const c of containerStatuses(p)) out[key(p.metadata?.name ?? '', c.name)] = c.restartCount ?? 0;
  return out;
}

/** Pods and their phase and readiness, for "what is still running" when it failed. */
function running(pods: Pod[]): string[] {
  return pods.map((p) => `${p.metadata?.name}: ${p.status?.phase ?? 'Unknown'}${containerStatuses(p).every((c) => c.ready) ? ', ready' : ', not ready'}`);
}

/** Restarts in a row that make a back-off a crash loop rather than a slow start. */
const CRASH_LOOP_RESTARTS = 3;

/** The first container of the new pods that keeps crashing (CrashLoopBackOff after several restarts), in words. */
function crashLooping(pods: Pod[]): string | undefined {
  for (const p of pods) {
    for (const c of containerStatuses(p)) {
      if (c.state?.waiting?.reason === 'CrashLoopBackOff' && (c.restartCount ?? 0) >= CRASH_LOOP_RESTARTS) {
        const last = c.lastState?.terminated;
        const why = last ? ` (last exit: ${last.reason ?? 'Error'}, code ${last.exitCode})` : '';
        return `container ${c.name} of pod ${p.metadata?.name} is crash-looping: ${c.restartCount} restarts${why}`;
      }
    }
  }
  return undefined;
}

export function evaluateVerification(input: VerificationInput): VerificationVerdict {
  const { deployment, pods, now } = input;
  const rollout = rolloutStatus(deployment);
  if (rollout.state === 'failed') return { state: 'failed', message: rollout.message, stillRunning: running(pods) };
  if (!input.settles) {
    return deployment.spec?.paused ? { state: 'verified', message: rollout.message, warnings: [] } : { state: 'rolling', message: rollout.message };
  }
  if (rollout.state !== 'complete') {
    // A rollout whose new pods crash-loop may never reach its progress deadline (it can count as complete for the moment they ran): that is a failure now.
    const looping = crashLooping(pods);
    return looping ? { state: 'failed', message: `${looping}; ${rollout.message}`, stillRunning: running(pods) } : { state: 'rolling', message: rollout.message };
  }
  const baseline = input.baseline ?? { completeAt: now.toISOString(), restarts: restartsOf(pods) };
  const since = Date.parse(baseline.completeAt);
  for (const p of pods) {
    for (const c of containerStatuses(p)) {
      const before = baseline.restarts[key(p.metadata?.name ?? '', c.name)] ?? 0;
      const oom = c.lastState?.terminated?.reason === 'OOMKilled' && Date.parse(c.lastState.terminated.finishedAt ?? '') >= since;
      if (oom) return { state: 'failed', message: `container ${c.name} of pod ${p.metadata?.name} was OOMKilled after the rollout completed`, stillRunning: running(pods) };
      if ((c.restartCount ?? 0) > before) {
        return { state: 'failed', message: `container ${c.name} of pod ${p.metadata?.name} restarted after the rollout completed (${before} → ${c.restartCount} restarts)`, stillRunning: running(pods) };
      }
    }
  }
  const elapsed = (now.getTime() - since) / 1000;
  if (elapsed < input.settleSeconds) {
    return { state: 'settling', message: `${rollout.message}; watching for restarts for ${Math.ceil(input.settleSeconds - elapsed)}s more`, baseline, remainingSeconds: input.settleSeconds - elapsed };
  }
  return { state: 'verified', message: `${rollout.message}; no restarts or OOM kills for ${input.settleSeconds}s`, warnings: [...memoryWarnings(input), ...autoscalerNotes(input)] };
}

/** Containers using more than 90 % of their memory limit, as `kubectl top pods` would show it. */
function memoryWarnings({ deployment, metrics }: VerificationInput): string[] {
  if (!metrics) return ['memory use unknown: the metrics API (metrics.k8s.io) did not answer'];
  const limits = new Map((deployment.spec?.template?.spec?.containers ?? []).map((c) => [c.name, c.resources?.limits?.memory]));
  const out: string[] = [];
  for (const m of metrics) {
    for (const c of m.containers) {
      const limit = limits.get(c.name);
      const used = parseQuantity(c.usage.memory);
      const max = parseQuantity(limit);
      if (used === undefined || !max) continue;
      const ratio = used / max;
      if (ratio > MEMORY_WARNING_RATIO) out.push(`pod ${m.metadata.name} container ${c.name} uses ${c.usage.memory} of its ${limit} memory limit (${Math.round(ratio * 100)}%)`);
    }
  }
  return out;
}

/** The HorizontalPodAutoscaler that targets the deployment, in its own words. */
function autoscalerNotes({ deployment, hpas }: VerificationInput): string[] {
  return hpas
    .filter((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === deployment.metadata?.name)
    .map((h) => {
      const s = h.status;
      const limited = s?.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
      const inactive = s?.conditions?.find((c) => c.type === 'ScalingActive' && c.status === 'False');
      const state = `HorizontalPodAutoscaler ${h.metadata?.name}: ${s?.currentReplicas ?? '?'} current / ${s?.desiredReplicas ?? '?'} desired replicas (min ${h.spec?.minReplicas ?? 1}, max ${h.spec?.maxReplicas})`;
      return [state, limited && `scaling limited: ${limited.message ?? limited.reason}`, inactive && `not scaling: ${inactive.message ?? inactive.reason}`].filter(Boolean).join('; ');
    });
}
