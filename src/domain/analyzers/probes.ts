import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { eventCount } from '../events.js';
import { probeWarningCounts } from '../failure-signals.js';
import { podReady } from '../pod-state.js';
import { controlledBy, revisionOf } from '../workload.js';
import type { Evidence, Finding, Fix } from '../finding.js';
import { plural } from '../finding.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analysisContext, appContainers, eventsAbout, groupBy, latestEventEvidence, podRef, podsPhrase, rollbackFixes, templateOfRevision, uniqueSorted, type AnalysisContext, type ContainerRef } from './context.js';

type Kind = 'liveness' | 'readiness' | 'startup';
const KINDS: Kind[] = ['liveness', 'readiness', 'startup'];
const probeOf = (c: Container, kind: Kind): Probe | undefined => c[`${kind}Probe`];
const Title = (k: Kind) => k.charAt(0).toUpperCase() + k.slice(1);

/** Lines an app writes once it serves: absent from a killed instance's log, it never finished starting. */
const READY_LOG = /\blistening\b|\bstarted\b.* in [\d.]+ ?s|ready to accept|server started|tomcat started|startup complete/i;
/** Dial failures: what a probe aimed at a port nobody listens on reports. */
const DIAL_FAILURE = /connection refused|unable to find port/;

/** The port a probe dials: its number, or undefined when a named port does not resolve. */
function probePort(probe: Probe, c: Container): { shown: string; port?: number } | undefined {
  const p = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  if (p === undefined) return undefined;
  if (typeof p === 'number' || /^\d+$/.test(p)) return { shown: String(p), port: Number(p) };
  const named = c.ports?.find((x) => x.name === p)?.containerPort;
  return { shown: named === undefined ? `"${p}" (no such named port)` : `${p} (${named})`, port: named };
}

/** Probe failures past the start-up allowance: failing probes while an app starts are normal. */
const unhealthy = (ctx: AnalysisContext, c: ContainerRef, kind: Kind) =>
  eventsAbout(ctx, 'Pod', c.podName, 'Unhealthy', c.spec.name).filter((e) => e.message?.startsWith(`${Title(kind)} probe`) && probeWarningCounts(c.pod, e, ctx.deployment.spec?.minReadySeconds));
const kills = (ctx: AnalysisContext, c: ContainerRef, kind: Kind) =>
  eventsAbout(ctx, 'Pod', c.podName, 'Killing', c.spec.name).filter((e) => e.message?.includes(`failed ${kind} probe`));
const livenessKills = (ctx: AnalysisContext, c: ContainerRef) => kills(ctx, c, 'liveness');
const portsText = (c: Container) => (c.ports ?? []).map((p) => (p.name ? `${p.name}=${p.containerPort}` : String(p.containerPort))).join(', ');

/** Probe kinds of a container that dial a port it does not declare, and fail doing so. */
function mismatchedKinds(ctx: AnalysisContext, c: ContainerRef): Kind[] {
  const declared = (c.spec.ports ?? []).map((p) => p.containerPort);
  if (!declared.length) return [];
  return KINDS.filter((kind) => {
    const probe = probeOf(c.spec, kind);
    const port = probe && probePort(probe, c.spec);
    return port && (port.port === undefined || !declared.includes(port.port)) && unhealthy(ctx, c, kind).some((e) => DIAL_FAILURE.test(e.message ?? ''));
  });
}

export function analyzeProbes(snapshot: DeploymentSnapshot, ctx = analysisContext(snapshot)): Finding[] {
  const containers = appContainers(ctx);
  const findings: Finding[] = [];
  const mismatched = containers.map((c) => ({ c, kinds: mismatchedKinds(ctx, c) })).filter((m) => m.kinds.length);
  for (const group of groupBy(mismatched, (m) => m.c.spec.name).values()) findings.push(portMismatchFinding(ctx, group[0]!.c, group.map((m) => m.c), group[0]!.kinds));
  const live = containers.filter((c) => livenessKills(ctx, c).length || unhealthy(ctx, c, 'liveness').length);
  for (const group of groupBy(live, (c) => c.spec.name).values()) findings.push(livenessFinding(ctx, group));
  // Running but never ready, and not restarting (a restarting container is the crash and liveness families' business).
  const unready = containers.filter((c) => c.status.state?.running && !c.status.ready && !c.status.lastState?.terminated && !live.includes(c) && unhealthy(ctx, c, 'readiness').length);
  for (const group of groupBy(unready, (c) => c.spec.name).values()) findings.push(readinessFinding(ctx, group));
  // Killed by the start-up probe, or held by it (not started, already restarted) past the allowance.
  const startup = containers.filter((c) => c.spec.startupProbe && (kills(ctx, c, 'startup').length || (!c.status.started && (c.status.restartCount ?? 0) > 0 && unhealthy(ctx, c, 'startup').length)));
  for (const group of groupBy(startup, (c) => c.spec.name).values()) findings.push(startupFinding(ctx, group));
  return findings;
}

function probeText(c: Container, kind: Kind): string {
  const p = probeOf(c, kind)!;
  const port = probePort(p, c);
  const how = p.httpGet ? `httpGet ${p.httpGet.path ?? '/'} port ${port?.shown}` : p.tcpSocket ? `tcpSocket port ${port?.shown}` : p.grpc ? `grpc port ${port?.shown}` : 'exec';
  return `${kind}Probe: ${how}, initialDelaySeconds=${p.initialDelaySeconds ?? 0}, periodSeconds=${p.periodSeconds ?? 10}, failureThreshold=${p.failureThreshold ?? 3}`;
}

function portMismatchFinding(ctx: AnalysisContext, first: ContainerRef, group: ContainerRef[], kinds: Kind[]): Finding {
  const name = first.spec.name;
  const pods = uniqueSorted(group.map((c) => c.podName));
  const target = first.spec.ports!.find((p) => p.name === 'http') ?? first.spec.ports![0]!;
  const dialed = uniqueSorted(kinds.map((k) => probePort(probeOf(first.spec, k)!, first.spec)!.shown));
  const before = templateOfRevision(ctx, ctx.lastHealthy)?.spec?.containers.find((c) => c.name === name);
  const moved = before && ctx.lastHealthy !== ctx.revision && portsText(before) !== portsText(first.spec) ? ` Revision ${ctx.lastHealthy} declared ${portsText(before)}.` : '';
  const evidence: Evidence[] = [
    ...kinds.map((k): Evidence => ({ kind: 'spec', name: `deployment/${ctx.name}`, detail: `container ${name} ${probeText(first.spec, k)}; ports: ${portsText(first.spec)}` })),
    ...kinds.flatMap((k) => latestEventEvidence(unhealthy(ctx, first, k))),
  ];
  const fixes: Fix[] = kinds.map((k) => ({ kind: 'set-probe', title: `Point the ${k} probe at port ${target.containerPort}`, container: name, probe: k, port: target.containerPort }));
  return {
    code: 'PROBE_PORT_MISMATCH',
    severity: ctx.impact,
    title: `${name} ${kinds.join(' and ')} probe${kinds.length > 1 ? 's dial' : ' dials'} port ${dialed.join(', ')}, not ${target.containerPort}`,
    summary: `The ${kinds.join(' and ')} probe${kinds.length > 1 ? 's' : ''} of ${name} dial${kinds.length > 1 ? '' : 's'} port ${dialed.join(', ')} but the container declares ${portsText(first.spec)}, so they get connection refused on ${podsPhrase(pods)}.${moved} Point the probes at ${target.containerPort} or roll back.`,
    evidence,
    fixes: [...fixes, ...rollbackFixes(ctx)],
    pods,
  };
}

/** A killed instance that never logged that it was serving: the probe gave up before start-up finished. */
function killedDuringStartup(ctx: AnalysisContext, c: ContainerRef, kind: Kind = 'liveness'): string[] | undefined {
  if (!kills(ctx, c, kind).length) return undefined;
  const previous = ctx.snapshot.logs.find((l) => l.pod === c.podName && l.container === c.spec.name && l.previous);
  if (!previous?.lines.length || previous.lines.some((l) => READY_LOG.test(l))) return undefined;
  return previous.lines.slice(-2);
}

/** Start-up time to allow: at least four times what the probe allowed now, or two minutes more, in whole 30 s. */
const startupBudget = (allowed: number): number => Math.ceil(Math.max(4 * allowed, allowed + 120) / 30) * 30;

/** How long the revision that serves took from container start to Ready (its slowest pod): what the app needed last time. */
function previousStartup(ctx: AnalysisContext, container: string): number | undefined {
  const rs = ctx.snapshot.replicaSets.filter((r) => ctx.lastHealthy !== ctx.revision && revisionOf(r) === ctx.lastHealthy);
  const took = controlledBy(rs, ctx.snapshot.pods)
    .filter(podReady)
    .map((pod) => {
      const started = Date.parse(pod.status?.containerStatuses?.find((c) => c.name === container)?.state?.running?.startedAt ?? '');
      const ready = Date.parse(pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime ?? '');
      return ready - started;
    })
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
  return took.length ? Math.round(Math.max(...took) / 1000) : undefined;
}

function startupFinding(ctx: AnalysisContext, group: ContainerRef[]): Finding {
  const first = group[0]!;
  const name = first.spec.name;
  const pods = uniqueSorted(group.map((c) => c.podName));
  const probe = first.spec.startupProbe!;
  const period = probe.periodSeconds ?? 10;
  // The kubelet kills the container at the failureThreshold-th consecutive failure.
  const allowed = (probe.initialDelaySeconds ?? 0) + period * (probe.failureThreshold ?? 3);
  const budget = startupBudget(allowed);
  const threshold = Math.ceil((budget - (probe.initialDelaySeconds ?? 0)) / period);
  const killed = group.reduce((n, c) => n + kills(ctx, c, 'startup').reduce((k, e) => k + eventCount(e), 0), 0);
  const lastLines = killedDuringStartup(ctx, first, 'startup');
  const before = previousStartup(ctx, name);
  const endpoint = probe.httpGet ? `GET ${probe.httpGet.path ?? '/'} on port ${probePort(probe, first.spec)?.shown}` : probe.tcpSocket ? `TCP port ${probePort(probe, first.spec)?.shown}` : probe.grpc ? `gRPC port ${probe.grpc.port}` : 'its exec command';
  const evidence: Evidence[] = [
    ...latestEventEvidence(kills(ctx, first, 'startup')),
    ...latestEventEvidence(eventsAbout(ctx, 'Pod', first.podName, 'Unhealthy', name).filter((e) => e.message?.startsWith('Startup probe'))),
    { kind: 'spec', name: `deployment/${ctx.name}`, detail: `container ${name} ${probeText(first.spec, 'startup')}: allows ${allowed}s` },
    ...(lastLines ? [{ kind: 'log' as const, name: `${podRef(first.podName)} container ${name} (previous)`, detail: lastLines.join('\n') }] : []),
    ...group.map((c): Evidence => ({ kind: 'status', name: podRef(c.podName), detail: `container ${name}: ${plural(c.status.restartCount ?? 0, 'restart')}, started=${c.status.started ?? false}${c.status.state?.waiting?.reason ? `, now ${c.status.state.waiting.reason}` : ''}` })),
  ];
  const needs = lastLines ? `it needs longer: the killed instance's log ends at "${lastLines.at(-1)!.trim()}"` : 'it does not answer in time';
  const patch = { spec: { template: { spec: { containers: [{ name, startupProbe: { failureThreshold: threshold } }] } } } };
  return {
    code: 'STARTUP_PROBE_FAILING',
    severity: ctx.impact,
    title: `${name} killed by its startup probe after ${allowed}s`,
    summary: `The startup probe of ${name} (${endpoint}) gives the app ${allowed}s (${probe.failureThreshold ?? 3} × ${period}s${probe.initialDelaySeconds ? ` after ${probe.initialDelaySeconds}s` : ''}), but ${needs}${before !== undefined ? `; revision ${ctx.lastHealthy} was ready ${before}s after starting` : ''}. The kubelet restarted it ${plural(killed, 'time')} on ${podsPhrase(pods)}. Allow ${budget}s (failureThreshold ${threshold}), or roll back.`,
    evidence,
    fixes: [
      ...rollbackFixes(ctx),
      { kind: 'manual', title: `Give ${name} ${budget}s to start (startupProbe failureThreshold ${threshold})`, command: `kubectl patch deployment ${ctx.name} -n ${ctx.namespace} --type=strategic -p '${JSON.stringify(patch)}'` },
    ],
    pods,
  };
}

function livenessFinding(ctx: AnalysisContext, group: ContainerRef[]): Finding {
  const first = group[0]!;
  const name = first.spec.name;
  const pods = uniqueSorted(group.map((c) => c.podName));
  const probe = first.spec.livenessProbe;
  const kills = group.reduce((n, c) => n + livenessKills(ctx, c).reduce((k, e) => k + eventCount(e), 0), 0);
  const lastLines = killedDuringStartup(ctx, first);
  const evidence: Evidence[] = [
    ...latestEventEvidence(livenessKills(ctx, first)),
    ...latestEventEvidence(unhealthy(ctx, first, 'liveness')),
    ...(probe ? [{ kind: 'spec' as const, name: `deployment/${ctx.name}`, detail: `container ${name} ${probeText(first.spec, 'liveness')}` }] : []),
    ...(lastLines ? [{ kind: 'log' as const, name: `${podRef(first.podName)} container ${name} (previous)`, detail: lastLines.join('\n') }] : []),
    ...group.map((c): Evidence => ({ kind: 'status', name: podRef(c.podName), detail: `container ${name}: ${plural(c.status.restartCount ?? 0, 'restart')}, last exit code ${c.status.lastState?.terminated?.exitCode ?? 'n/a'}` })),
  ];
  const fixes: Fix[] = [];
  let summary: string;
  if (lastLines && probe) {
    // The n-th failure comes at initialDelay + (n-1) × period, so the kill lands at failureThreshold; give start-up at least twice that, in whole 30 s.
    const budget = (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * ((probe.failureThreshold ?? 3) - 1);
    const delay = Math.ceil(Math.max(2 * budget, budget + 60) / 30) * 30;
    const period = probe.periodSeconds ?? 10;
    const handler = probe.httpGet ? { httpGet: probe.httpGet } : probe.tcpSocket ? { tcpSocket: probe.tcpSocket } : probe.grpc ? { grpc: probe.grpc } : { exec: probe.exec };
    const patch = { spec: { template: { spec: { containers: [{ name, startupProbe: { ...handler, periodSeconds: period, failureThreshold: Math.ceil(delay / period) } }] } } } };
    summary = `The kubelet kills ${name} for failing its liveness probe before it finishes starting (${kills} kills; the probe gives up after ${budget}s and the log ends at "${lastLines.at(-1)!.trim()}") on ${podsPhrase(pods)}. Add a startupProbe allowing ${delay}s, or raise initialDelaySeconds.`;
    fixes.push({ kind: 'set-probe', title: `Raise the liveness probe's initialDelaySeconds to ${delay}`, container: name, probe: 'liveness', initialDelaySeconds: delay });
    fixes.push({ kind: 'manual', title: `Add a startupProbe allowing ${delay}s for start-up`, command: `kubectl patch deployment ${ctx.name} -n ${ctx.namespace} --type=strategic -p '${JSON.stringify(patch)}'` });
  } else {
    summary = `${name} fails its liveness probe on ${podsPhrase(pods)} (${kills} kills), so the kubelet keeps restarting it: the app stops answering ${probe?.httpGet?.path ?? 'the probe'} after start-up.`;
  }
  return {
    code: 'LIVENESS_PROBE_FAILING',
    severity: ctx.impact,
    title: lastLines ? `${name} killed by its liveness probe during start-up` : `${name} failing its liveness probe`,
    summary,
    evidence,
    fixes: [...fixes, ...rollbackFixes(ctx)],
    pods,
  };
}

function readinessFinding(ctx: AnalysisContext, group: ContainerRef[]): Finding {
  const first = group[0]!;
  const name = first.spec.name;
  const pods = uniqueSorted(group.map((c) => c.podName));
  const failure = unhealthy(ctx, first, 'readiness').at(-1)!.message!.replace(/^Readiness probe (?:failed|errored): /, '');
  // What the app itself says about its health, quoted as written.
  const current = ctx.snapshot.logs.find((l) => l.pod === first.podName && l.container === name && !l.previous);
  const hints = (current?.lines ?? []).filter((l) => /readiness|health|\bWARN|\bERROR/i.test(l)).slice(-3);
  const evidence: Evidence[] = [
    ...latestEventEvidence(unhealthy(ctx, first, 'readiness')),
    ...(first.spec.readinessProbe ? [{ kind: 'spec' as const, name: `deployment/${ctx.name}`, detail: `container ${name} ${probeText(first.spec, 'readiness')}` }] : []),
    ...(hints.length ? [{ kind: 'log' as const, name: `${podRef(first.podName)} container ${name}`, detail: hints.join('\n') }] : []),
    ...group.map((c): Evidence => ({ kind: 'status', name: podRef(c.podName), detail: `container ${name}: running since ${c.status.state?.running?.startedAt ?? 'unknown'}, ready=false` })),
  ];
  const says = hints.length ? ` The app logs: "${hints.at(-1)!.trim()}".` : '';
  return {
    code: 'READINESS_PROBE_FAILING',
    severity: ctx.impact,
    title: `${name} readiness probe failing: ${failure}`,
    summary: `${name} is running but never passes its readiness probe on ${podsPhrase(pods)} (${failure}), so it gets no traffic and the rollout cannot progress.${says}`,
    evidence,
    fixes: rollbackFixes(ctx),
    pods,
  };
}
