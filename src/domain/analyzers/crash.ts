import type { ContainerStateTerminated, EnvVar } from 'kubernetes-types/core/v1.js';
import type { Evidence, Finding } from '../finding.js';
import { plural } from '../finding.js';
import { jsonEqual } from '../json.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, appContainers, eventsAbout, groupBy, latestEventEvidence, podRef, podsPhrase, rollbackFixes, templateOfRevision, uniqueSorted, type AnalysisContext, type ContainerRef } from './context.js';
import { classifyLog, type LogCause, type LogClassification } from './log-classifier.js';
import { startFailureOf } from './start.js';

interface Crash extends ContainerRef {
  termination?: ContainerStateTerminated;
  /** Set when the logs were read for a cause (not for OOM kills or probe kills, whose logs are innocent). */
  log?: LogClassification & { previous: boolean };
}

const isLivenessKill = (ctx: AnalysisContext, c: ContainerRef) =>
  eventsAbout(ctx, 'Pod', c.podName, 'Killing', c.spec.name).some((e) => /failed (?:liveness|startup) probe/.test(e.message ?? ''));

/**
 * Containers that keep exiting: CRASH_LOOP for the restarts themselves and,
 * when the logs say why, the specific APP_* cause (ranked before it).
 */
export function analyzeCrashes(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const crashes: Crash[] = [];
  // Init containers and processes the runtime never started have families of their own.
  for (const ref of appContainers(ctx).filter((c) => !startFailureOf(c))) {
    const { state, lastState, restartCount = 0 } = ref.status;
    const termination = state?.terminated?.exitCode ? state.terminated : lastState?.terminated;
    const backOff = eventsAbout(ctx, 'Pod', ref.podName, 'BackOff', ref.spec.name).some((e) => e.message?.startsWith('Back-off restarting failed container'));
    // A ready container that once restarted (a node reboot last week) is not crashing now.
    const exitedBadly = Boolean(termination?.exitCode && (restartCount > 0 || state?.terminated));
    const crashing = state?.waiting?.reason === 'CrashLoopBackOff' || (!ref.status.ready && (backOff || exitedBadly));
    if (!crashing) continue;
    const readLogs = termination?.reason !== 'OOMKilled' && !isLivenessKill(ctx, ref) && termination?.exitCode !== 0;
    crashes.push({ ...ref, termination, log: readLogs ? classifyContainerLogs(snapshot, ref) : undefined });
  }
  const findings: Finding[] = [];
  const withCause = crashes.filter((c) => c.log?.cause);
  for (const group of groupBy(withCause, (c) => `${c.log!.cause}\u0000${c.spec.name}`).values()) findings.push(causeFinding(ctx, group));
  for (const group of groupBy(crashes, (c) => c.spec.name).values()) findings.push(crashLoopFinding(ctx, group));
  return findings;
}

/** The crashed instance's output first (--previous), then the running one's. */
function classifyContainerLogs(snapshot: DeploymentSnapshot, ref: ContainerRef): Crash['log'] {
  const logs = snapshot.logs.filter((l) => l.pod === ref.podName && l.container === ref.spec.name).sort((a, b) => Number(b.previous) - Number(a.previous));
  let fallback: Crash['log'];
  for (const l of logs) {
    const c = classifyLog(l.lines);
    if (c?.cause) return { ...c, previous: l.previous };
    fallback ??= c && { ...c, previous: l.previous };
  }
  return fallback;
}

/**
 * A fully available deployment whose crashed containers all run again is
 * looking at history: worth a warning, never an error.
 */
function severity(ctx: AnalysisContext, group: Crash[]): Finding['severity'] {
  const d = ctx.deployment;
  const desired = d.spec?.replicas ?? 1;
  const available = (d.status?.availableReplicas ?? 0) >= desired && (d.status?.updatedReplicas ?? 0) >= desired;
  return available && group.every((c) => c.status.state?.running) ? 'warning' : ctx.impact;
}

/** The first pod of a group whose logs could be read (logs of some pods may not have been collected). */
const withLog = (group: Crash[]) => group.find((c) => c.log);

function crashEvidence(ctx: AnalysisContext, group: Crash[]): Evidence[] {
  const first = group[0]!;
  const logged = withLog(group);
  const evidence: Evidence[] = [];
  if (logged?.log) {
    evidence.push({ kind: 'log', name: `${podRef(logged.podName)} container ${logged.spec.name}${logged.log.previous ? ' (previous)' : ''}`, detail: logged.log.excerpt.join('\n') });
  }
  for (const c of group) evidence.push({ kind: 'status', name: podRef(c.podName), detail: statusText(c) });
  evidence.push(...latestEventEvidence(eventsAbout(ctx, 'Pod', first.podName, 'BackOff', first.spec.name)));
  return evidence;
}

function statusText(c: Crash): string {
  const t = c.termination;
  const exit = t ? `last exit code ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}${t.finishedAt ? ` at ${t.finishedAt}` : ''}` : 'no termination recorded';
  const waiting = c.status.state?.waiting?.reason ? `, now ${c.status.state.waiting.reason}` : '';
  return `container ${c.spec.name}: ${plural(c.status.restartCount ?? 0, 'restart')}, ${exit}${waiting}`;
}

function crashLoopFinding(ctx: AnalysisContext, group: Crash[]): Finding {
  const first = group[0]!;
  const pods = uniqueSorted(group.map((c) => c.podName));
  const restarts = Math.max(...group.map((c) => c.status.restartCount ?? 0));
  const exit = first.termination ? `exit code ${first.termination.exitCode}${first.termination.reason ? `, ${first.termination.reason}` : ''}` : 'restarting';
  const log = withLog(group)?.log;
  const line = log && !log.cause ? ` The log shows: "${log.text.trim()}".` : '';
  return {
    code: 'CRASH_LOOP',
    severity: severity(ctx, group),
    title: `Container ${first.spec.name} is crash-looping (${exit})`,
    summary: `Container ${first.spec.name} keeps exiting on ${podsPhrase(pods)} (up to ${plural(restarts, 'restart')}), so the new revision never becomes available.${line}`,
    evidence: crashEvidence(ctx, group),
    fixes: rollbackFixes(ctx),
    pods,
  };
}

const TITLES: Record<LogCause, string> = {
  APP_MISSING_DEPENDENCY: 'is missing a dependency',
  APP_CONFIG_DNS_ERROR: 'cannot resolve a host name',
  APP_CONNECTION_REFUSED: 'gets connection refused from a dependency',
  APP_MIGRATION_FAILED: 'fails its database migration',
};

function causeFinding(ctx: AnalysisContext, group: Crash[]): Finding {
  const first = group[0]!;
  const log = first.log!;
  const cause = log.cause!;
  const quoted = log.text.trim();
  const pods = uniqueSorted(group.map((c) => c.podName));
  const where = podsPhrase(pods);
  const name = first.spec.name;
  let summary: string;
  switch (cause) {
    case 'APP_MISSING_DEPENDENCY':
      summary = `${name} exits at start-up on ${where} because its image lacks something it loads: "${quoted}". Rebuild the image with the dependency, or roll back.`;
      break;
    case 'APP_CONFIG_DNS_ERROR':
      summary = `${name} exits on ${where} because a host name it is configured with does not resolve: "${quoted}".${dnsHint(ctx, first, quoted)} Fix the host name or roll back.`;
      break;
    case 'APP_CONNECTION_REFUSED':
      summary = `${name} exits on ${where} because nothing accepts connections at the address it dials: "${quoted}". Check that the target has ready endpoints and the port is right.${changedEnvHint(ctx, name)}`;
      break;
    case 'APP_MIGRATION_FAILED':
      summary = `${name} runs a database migration at start-up and it fails on ${where}: "${quoted}". Check the schema state before rolling back: the old version must still work with it.`;
      break;
  }
  return {
    code: cause,
    severity: severity(ctx, group),
    title: `${name} ${TITLES[cause]}`,
    summary,
    evidence: crashEvidence(ctx, group),
    fixes: rollbackFixes(ctx),
    pods,
  };
}

/** Names of env vars whose definition differs from the last healthy revision's: where a config change hides. */
function changedEnv(ctx: AnalysisContext, container: string): string[] {
  const env = (list: EnvVar[] | undefined) => new Map((list ?? []).map((e) => [e.name, e]));
  const before = templateOfRevision(ctx, ctx.lastHealthy)?.spec?.containers.find((c) => c.name === container);
  const now = ctx.deployment.spec?.template?.spec?.containers.find((c) => c.name === container);
  if (!before || !now || ctx.lastHealthy === ctx.revision) return [];
  const old = env(before.env);
  return [...env(now.env)].filter(([k, v]) => !jsonEqual(old.get(k), v)).map(([k]) => k).sort();
}

function changedEnvHint(ctx: AnalysisContext, container: string): string {
  const changed = changedEnv(ctx, container);
  return changed.length ? ` This revision changed ${changed.join(', ')} (since revision ${ctx.lastHealthy}).` : '';
}

const HOST_IN_LOG = [/getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)/, /lookup ([\w.-]+)(?: on \S+)?: no such host/, /UnknownHostException: ([\w.-]+)/, /could not translate host name "([^"]+)"/, /([\w.-]+): (?:Name or service not known|Temporary failure)/];

/** Which env var holds the host that does not resolve, and what host it held when the deployment worked. Host names only, never whole values. */
function dnsHint(ctx: AnalysisContext, c: Crash, line: string): string {
  const host = HOST_IN_LOG.map((re) => re.exec(line)?.[1]).find(Boolean);
  if (!host) return changedEnvHint(ctx, c.spec.name);
  const holders = (c.spec.env ?? []).filter((e) => e.value?.includes(host)).map((e) => e.name);
  if (!holders.length) return changedEnvHint(ctx, c.spec.name);
  const before = templateOfRevision(ctx, ctx.lastHealthy)?.spec?.containers.find((x) => x.name === c.spec.name)?.env ?? [];
  const previous = holders.map((n) => hostOf(before.find((e) => e.name === n)?.value)).find((h) => h && h !== host);
  const was = previous ? `; in revision ${ctx.lastHealthy} it was ${previous}` : '';
  return ` ${holders.join(', ')} ${holders.length === 1 ? 'points' : 'point'} at ${host}${was}.`;
}

/** The host of "host", "host:port" or a URL; nothing for anything else (which might hold a secret). */
function hostOf(value: string | undefined): string | undefined {
  if (value?.includes('://')) return URL.canParse(value) ? new URL(value).hostname || undefined : undefined;
  return value ? /^([\w.-]+)(?::\d+)?$/.exec(value)?.[1] : undefined;
}
