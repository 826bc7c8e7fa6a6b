import type { Evidence, Finding, Fix } from '../finding.js';
import { plural } from '../finding.js';
import { formatBytes, parseQuantity } from '../quantity.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, currentContainers, eventsAbout, groupBy, latestEventEvidence, podRef, podsPhrase, rollbackFixes, templateOfRevision, uniqueSorted, type AnalysisContext, type ContainerRef } from './context.js';

const MiB = 2 ** 20;
const STEP = 64 * MiB;

/**
 * The memory limit to suggest after an OOM kill: 1.5× the current one, but
 * at least 128Mi more (a 1.5× of a small limit is still too tight to absorb
 * a new version's growth), rounded up to a whole 64Mi so it reads like a
 * hand-written manifest value. Never below what the last healthy revision had.
 */
export function suggestMemoryLimit(limitBytes: number, previousBytes = 0): number {
  const grown = Math.max(limitBytes * 1.5, limitBytes + 128 * MiB);
  return Math.max(Math.ceil(grown / STEP) * STEP, previousBytes);
}

const oomKilled = (c: ContainerRef) => c.status.state?.terminated?.reason === 'OOMKilled' || c.status.lastState?.terminated?.reason === 'OOMKilled';

/** Containers the kernel killed for exceeding their memory limit. */
export function analyzeOom(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const killed = currentContainers(ctx).filter(oomKilled);
  return [...groupBy(killed, (c) => c.spec.name).values()].map((group) => oomFinding(ctx, group));
}

function oomFinding(ctx: AnalysisContext, group: ContainerRef[]): Finding {
  const first = group[0]!;
  const name = first.spec.name;
  const pods = uniqueSorted(group.map((c) => c.podName));
  const limit = parseQuantity(first.spec.resources?.limits?.memory);
  const request = parseQuantity(first.spec.resources?.requests?.memory);
  const healthy = templateOfRevision(ctx, ctx.lastHealthy)?.spec?.containers.find((c) => c.name === name);
  const previous = ctx.lastHealthy !== ctx.revision ? parseQuantity(healthy?.resources?.limits?.memory) : undefined;
  const restarts = Math.max(...group.map((c) => c.status.restartCount ?? 0));
  const evidence: Evidence[] = group.map((c) => {
    const t = c.status.state?.terminated?.reason === 'OOMKilled' ? c.status.state.terminated : c.status.lastState!.terminated!;
    return { kind: 'status', name: podRef(c.podName), detail: `container ${name}: OOMKilled, exit code ${t.exitCode}${t.finishedAt ? ` at ${t.finishedAt}` : ''}, ${plural(c.status.restartCount ?? 0, 'restart')}` };
  });
  evidence.push({
    kind: 'spec',
    name: `deployment/${ctx.name}`,
    detail: `container ${name} resources: requests.memory=${first.spec.resources?.requests?.memory ?? 'unset'}, limits.memory=${first.spec.resources?.limits?.memory ?? 'unset'}`,
  });
  evidence.push(...latestEventEvidence(eventsAbout(ctx, 'Pod', first.podName, 'BackOff', name)));

  const fixes: Fix[] = [];
  const base = limit ?? request;
  let summary: string;
  if (base !== undefined) {
    const suggested = formatBytes(suggestMemoryLimit(base, previous));
    fixes.push({ kind: 'set-memory-limit', title: `Raise ${name}'s memory limit to ${suggested}`, container: name, memory: suggested });
    const lowered = previous !== undefined && limit !== undefined && previous > limit ? ` This revision lowered it from ${healthy?.resources?.limits?.memory}.` : '';
    summary = limit !== undefined
      ? `The kernel kills ${name} for exceeding its ${first.spec.resources?.limits?.memory} memory limit on ${podsPhrase(pods)} (up to ${plural(restarts, 'restart')}).${lowered} Raise the limit to ${suggested} or roll back.`
      : `${name} has no memory limit and was OOM-killed on ${podsPhrase(pods)}: the node ran short of memory. Set a limit (${suggested}, from its ${first.spec.resources?.requests?.memory} request) or roll back.`;
  } else {
    summary = `${name} has no memory request or limit and was OOM-killed on ${podsPhrase(pods)}: the node ran short of memory. Give it a memory request and limit, or roll back.`;
  }
  return {
    code: 'OOM_KILLED',
    severity: ctx.impact,
    title: limit !== undefined ? `${name} OOMKilled at its ${first.spec.resources?.limits?.memory} memory limit` : `${name} OOMKilled (no memory limit)`,
    summary,
    evidence,
    fixes: [...fixes, ...rollbackFixes(ctx)],
    pods,
  };
}
