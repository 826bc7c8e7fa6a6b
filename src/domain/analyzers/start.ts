import type { Evidence, Finding } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { imagesOf } from '../workload.js';
import { analysisContext, currentContainers, eventsAbout, groupBy, latestEventEvidence, podRef, podsPhrase, rollbackFixes, templateOfRevision, uniqueSorted, type AnalysisContext, type ContainerRef } from './context.js';

/** The runtime refused to create or start the process: waiting reasons, and terminated reasons of an instance that never ran. */
const START_WAITING = new Set(['CreateContainerError', 'RunContainerError']);
const START_TERMINATED = new Set(['StartError', 'ContainerCannotRun']);

export interface StartFailure {
  reason: string;
  /** The runtime's message, as the kubelet recorded it. */
  message: string;
}

/** Why the runtime could not start this container, if that is its trouble (a process that started and exited is a crash instead). */
export function startFailureOf(c: ContainerRef): StartFailure | undefined {
  const w = c.status.state?.waiting;
  if (w?.reason && START_WAITING.has(w.reason)) return { reason: w.reason, message: w.message ?? '' };
  const t = [c.status.state?.terminated, c.status.lastState?.terminated].find((x) => x?.reason && START_TERMINATED.has(x.reason));
  return t ? { reason: t.reason!, message: t.message ?? '' } : undefined;
}

/** What the runtime's message says went wrong, in a few words; the message itself is always quoted too. */
function gist(message: string): { what: string; path?: string } {
  const path = /exec: "([^"]+)"/.exec(message)?.[1] ?? /exec(?:utable)? "?([^":\s]+)"?: (?:no such file|executable file not found)/.exec(message)?.[1];
  if (/executable file not found|no such file or directory/.test(message) && path) return { what: `${path}: no such executable in the image`, path };
  if (/permission denied/.test(message)) return { what: `${path ? `${path}: ` : ''}permission denied`, path };
  if (/mount/i.test(message)) return { what: 'a volume mount failed' };
  const tail = message.split(': ').filter(Boolean).slice(-2).join(': ');
  return { what: tail.length > 90 ? `${tail.slice(0, 87)}...` : tail };
}

/** Containers the runtime cannot start: CreateContainerError, RunContainerError, StartError, named with the runtime's message. */
export function analyzeStartFailures(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const failed = currentContainers(ctx)
    .map((c) => ({ c, f: startFailureOf(c) }))
    .filter((x): x is { c: ContainerRef; f: StartFailure } => x.f !== undefined);
  return [...groupBy(failed, (x) => `${x.c.spec.name}\u0000${gist(x.f.message).what}`).values()].map((group) => startFinding(ctx, group));
}

function startFinding(ctx: AnalysisContext, group: Array<{ c: ContainerRef; f: StartFailure }>): Finding {
  const { c, f } = group[0]!;
  const name = c.spec.name;
  const pods = uniqueSorted(group.map((x) => x.c.podName));
  const { what, path } = gist(f.message);
  const command = [...(c.spec.command ?? []), ...(c.spec.args ?? [])].join(' ');
  const evidence: Evidence[] = [
    ...group.map(({ c: x, f: y }): Evidence => ({ kind: 'status', name: podRef(x.podName), detail: `container ${name}: ${y.reason}: ${y.message}${x.status.restartCount ? ` (${x.status.restartCount} restarts)` : ''}` })),
    ...latestEventEvidence(eventsAbout(ctx, 'Pod', c.podName, 'Failed', name)),
    { kind: 'spec', name: `deployment/${ctx.name}`, detail: `container ${name}: image ${c.spec.image}${command ? `, command ${command}` : ' (the image\'s entrypoint)'}` },
  ];
  // An unchanged command with a new image: the image moved or dropped what the command runs.
  const before = templateOfRevision(ctx, ctx.lastHealthy);
  const old = before?.spec?.containers.find((x) => x.name === name);
  const imageChanged = old && ctx.lastHealthy !== ctx.revision && old.image !== c.spec.image;
  const hint = path && imageChanged ? ` Revision ${ctx.lastHealthy} ran the same command with ${imagesOf(before).join(', ')}; the new image ${c.spec.image} does not have ${path} where the command expects it.` : '';
  return {
    code: 'CONTAINER_START_FAILED',
    severity: ctx.impact,
    title: `Container ${name} cannot start: ${what}`,
    summary: `The container runtime cannot start ${name} on ${podsPhrase(pods)} (${f.reason}): "${f.message}".${hint} Fix the command or the image, or roll back.`,
    evidence,
    fixes: [...rollbackFixes(ctx), { kind: 'manual', title: `Fix ${name}'s command or image`, command: `kubectl edit deployment/${ctx.name} -n ${ctx.namespace}` }],
    pods,
  };
}
