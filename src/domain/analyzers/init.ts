import type { ContainerStateTerminated } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding } from '../finding.js';
import { plural } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, currentContainers, eventsAbout, groupBy, latestEventEvidence, podRef, podsPhrase, rollbackFixes, uniqueSorted, type AnalysisContext, type ContainerRef } from './context.js';
import { classifyLog, type LogClassification } from './log-classifier.js';
import { startFailureOf } from './start.js';

interface InitFailure extends ContainerRef {
  termination: ContainerStateTerminated;
  log?: LogClassification & { previous: boolean };
}

const CAUSE_WORDS: Record<string, string> = {
  APP_MISSING_DEPENDENCY: 'its image lacks something it loads',
  APP_CONFIG_DNS_ERROR: 'a host name it uses does not resolve',
  APP_CONNECTION_REFUSED: 'nothing accepts connections at the address it dials',
  APP_MIGRATION_FAILED: 'its database migration fails',
};

/**
 * Init containers that exit non-zero (Init:Error, Init:CrashLoopBackOff):
 * the app containers wait on PodInitializing behind them, so the init
 * container, with its own log, is the cause.
 */
export function analyzeInitContainers(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const failing: InitFailure[] = [];
  for (const ref of currentContainers(ctx)) {
    if (!ref.init || startFailureOf(ref)) continue;
    const { state, lastState } = ref.status;
    const termination = state?.terminated?.exitCode ? state.terminated : state?.terminated ? undefined : lastState?.terminated?.exitCode ? lastState.terminated : undefined;
    if (!termination) continue;
    failing.push({ ...ref, termination, log: initLog(snapshot, ref) });
  }
  return [...groupBy(failing, (f) => f.spec.name).values()].map((group) => initFinding(ctx, group));
}

/** The failed instance's output first (--previous), then the current one's. */
function initLog(snapshot: DeploymentSnapshot, ref: ContainerRef): InitFailure['log'] {
  const logs = snapshot.logs.filter((l) => l.pod === ref.podName && l.container === ref.spec.name).sort((a, b) => Number(b.previous) - Number(a.previous));
  for (const l of logs) {
    const c = classifyLog(l.lines);
    if (c) return { ...c, previous: l.previous };
  }
  const last = logs.find((l) => l.lines.length);
  return last && { text: last.lines.at(-1)!, excerpt: last.lines.slice(-3), previous: last.previous };
}

function initFinding(ctx: AnalysisContext, group: InitFailure[]): Finding {
  const first = group[0]!;
  const name = first.spec.name;
  const pods = uniqueSorted(group.map((f) => f.podName));
  const restarts = Math.max(...group.map((f) => f.status.restartCount ?? 0));
  const t = first.termination;
  const logged = group.find((f) => f.log);
  const victims = uniqueSorted((first.pod.status?.containerStatuses ?? []).filter((c) => c.state?.waiting?.reason === 'PodInitializing').map((c) => c.name));
  const evidence: Evidence[] = [
    ...(logged?.log ? [{ kind: 'log' as const, name: `${podRef(logged.podName)} init container ${name}${logged.log.previous ? ' (previous)' : ''}`, detail: logged.log.excerpt.join('\n') }] : []),
    ...group.map((f): Evidence => ({
      kind: 'status',
      name: podRef(f.podName),
      detail: `init container ${name}: exit code ${f.termination.exitCode}${f.termination.reason ? ` (${f.termination.reason})` : ''}, ${plural(f.status.restartCount ?? 0, 'restart')}${f.status.state?.waiting?.reason ? `, now ${f.status.state.waiting.reason}` : ''}`,
    })),
    ...latestEventEvidence(eventsAbout(ctx, 'Pod', first.podName, 'BackOff', name)),
    { kind: 'spec', name: `deployment/${ctx.name}`, detail: `init container ${name}: image ${first.spec.image}${first.spec.command ? `, command ${[...first.spec.command, ...(first.spec.args ?? [])].join(' ')}` : ''}` },
  ];
  const cause = logged?.log?.cause ? ` (${CAUSE_WORDS[logged.log.cause]})` : '';
  const said = logged?.log ? ` Its log says: "${logged.log.text.trim()}"${cause}.` : '';
  return {
    code: 'INIT_CONTAINER_FAILING',
    severity: ctx.impact,
    title: `Init container ${name} fails (exit code ${t.exitCode}${t.reason ? `, ${t.reason}` : ''})`,
    summary: `Init container ${name} exits with code ${t.exitCode} on ${podsPhrase(pods)} (up to ${plural(restarts, 'restart')}), so ${victims.length ? victims.join(', ') : 'the app containers'} never ${victims.length === 1 ? 'starts' : 'start'}${victims.length ? ' (waiting on PodInitializing)' : ''}.${said}`,
    evidence,
    fixes: [...rollbackFixes(ctx), { kind: 'manual', title: `Read ${name}'s output`, command: `kubectl logs ${first.podName} -n ${ctx.namespace} -c ${name} --previous` }],
    pods,
  };
}
