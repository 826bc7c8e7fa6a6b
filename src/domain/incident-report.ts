/**
 * The post-incident report (seed 001, step 7): Timeline, Root Cause, Impact, Action Items, built from
 * the incident's facts, its persisted timeline and (when there was one) the last diagnosis. Pure: the
 * same inputs give the same report, as Markdown for the thread and as JSON for `--output json`.
 */
import { FINDING_CATEGORY, type RootCauseCategory } from './escalation.js';
import { fixCommand, type Finding, type FindingCode, type Severity } from './finding.js';
import type { DiagnosisReport } from './diagnosis.js';
import type { IncidentFacts, IncidentPhase, IncidentSubject, TimelineKind, TimelineNote } from './incident.js';

export interface IncidentReportInput {
  incident: IncidentFacts & { id: string; phase: IncidentPhase };
  timeline: readonly TimelineNote[];
  /** The last diagnosis of the failing rollout, when the incident had one. */
  diagnosis?: Pick<DiagnosisReport, 'deployment' | 'findings' | 'revisions'>;
}

export interface IncidentReport {
  id: string;
  title: string;
  subject: IncidentSubject;
  severity: Severity;
  phase: IncidentPhase;
  openedAt: string;
  timeline: { at: string; actor: string; kind: TimelineKind; text: string }[];
  rootCause: { code: FindingCode | null; summary: string };
  impact: {
    /** When the failing revision was created (the rollout started), when known. */
    failureStartedAt: string | null;
    detectedAt: string;
    mitigatedAt: string | null;
    resolvedAt: string | null;
    /** Seconds; null when the moment is not known (yet). */
    timeToDetectSeconds: number | null;
    timeToMitigateSeconds: number | null;
    timeToResolveSeconds: number | null;
    podsAffected: string[];
    replicas: { desired: number; ready: number; unavailable: number } | null;
  };
  actionItems: string[];
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** A timeline entry in words. */
export function timelineSentence(kind: TimelineKind, detail: Record<string, unknown>): string {
  const d = (k: string) => str(detail[k]);
  switch (kind) {
    case 'opened':
      return `Incident opened (${d('source') === 'alertmanager' ? 'alert fired' : 'the rollout watcher saw the failure'}, ${d('severity')}): ${d('summary')}`;
    case 'detected':
      return `Reported again by ${d('source')} (${d('severity')}): ${d('summary')}`;
    case 'reopened':
      return `Failing again: reopened (${d('source')})`;
    case 'diagnosed':
      return `Diagnosed${d('rootCause') ? ` ${d('rootCause')}` : ''}: ${d('summary')}`;
    case 'alert-resolved':
      return `Alert resolved (${d('alert')})`;
    case 'recovered':
      return `Rollout recovered${d('detail') ? `: ${d('detail')}` : ''}`;
    case 'fix-proposed':
      return `Fix proposed (proposal ${d('proposalId')})`;
    case 'fix-approved':
      return `Fix approved (proposal ${d('proposalId')})`;
    case 'fix-executed':
      return `Fix executed, verifying (proposal ${d('proposalId')})`;
    case 'fix-verified':
      return `Fix verified (proposal ${d('proposalId')})`;
    case 'fix-failed':
      return `Fix failed its ${d('stage')}: ${d('detail')}`;
    case 'fix-abandoned':
      return `Fix abandoned (${d('cause')})`;
    case 'acknowledged':
      return `Taken${detail.via === 'pagerduty' ? ' in PagerDuty' : ' in Slack'}`;
    case 'paged':
      return `Paged ${d('level')} (${d('reason')})`;
    case 'pager-update':
      return `PagerDuty: ${d('what')}${d('detail') ? `: ${d('detail')}` : ''}`;
    case 'note':
      return `Note: ${d('text')}`;
    case 'resolved':
      return `Resolved (${d('reason').replace(/-/g, ' ')})`;
    case 'closed':
      return 'Closed: the grace period ended';
  }
}

const CATEGORY_ITEMS: Record<RootCauseCategory, string[]> = {
  rollout: ['Check in CI that every image tag exists in the registry before deploying (deploy-medic preflight)', 'Gate the deploy on `deploy-medic rollout-status` so a failing rollout stops the pipeline'],
  application: ['Add a check to CI/CD that catches this failure before production (start-up test, dependency check)', 'Improve the health checks so the failure is detected before traffic moves'],
  platform: ['Review resource requests, quotas and node capacity for this namespace', 'Alert on cluster capacity before a rollout needs it'],
};

function actionItems(input: IncidentReportInput, root: Finding | undefined): string[] {
  const { incident, timeline } = input;
  const items: string[] = [];
  const where = incident.subject.kind === 'rollout' ? { namespace: incident.subject.namespace, name: incident.subject.deployment } : undefined;
  for (const fix of root?.fixes ?? []) {
    const command = where ? fixCommand(fix, where) : fix.kind === 'manual' ? fix.command : undefined;
    items.push(command ? `${fix.title} (\`${command}\`)` : fix.title);
  }
  const code = root?.code ?? incident.rootCause;
  if (code) items.push(...CATEGORY_ITEMS[FINDING_CATEGORY[code]], `Add ${code} and its fix to the runbook`);
  else items.push('Find the root cause: the diagnosis named none');
  if (timeline.some((e) => e.kind === 'fix-failed')) items.push('Find out why the fix did not hold, and document a fix that does');
  if (timeline.some((e) => e.kind === 'paged' && e.detail.reason === 'unanswered')) items.push('Review the on-call response: nobody acted in Slack before the page');
  return [...new Set(items)];
}

const seconds = (from: Date | undefined, to: Date | undefined): number | null => (from && to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000)) : null);
const iso = (d: Date | undefined): string | null => d?.toISOString() ?? null;

export function incidentReport(input: IncidentReportInput): IncidentReport {
  const { incident, timeline, diagnosis } = input;
  const { subject } = incident;
  const root = diagnosis?.findings.find((f) => f.code === incident.rootCause) ?? diagnosis?.findings[0];
  const failing = subject.kind === 'rollout' ? diagnosis?.revisions.find((r) => r.revision === subject.revision)?.createdAt : undefined;
  const started = failing ? new Date(failing) : undefined;
  const first = (kinds: TimelineKind[]) => timeline.find((e) => kinds.includes(e.kind))?.at;
  // Mitigated: the fix took effect (executed), or the failure went away by itself (recovered, alert resolved).
  const mitigated = first(['fix-executed', 'recovered', 'alert-resolved', 'resolved']);
  const resolved = incident.resolved?.at ?? (incident.phase === 'resolved' ? first(['resolved']) : undefined);
  const what = subject.kind === 'rollout' ? `${subject.namespace}/${subject.deployment} revision ${subject.revision}` : `alert group ${subject.groupKey}`;
  const pods = [...new Set((diagnosis?.findings ?? []).flatMap((f) => f.pods))].sort();
  const r = diagnosis?.deployment.replicas;
  return {
    id: incident.id,
    title: `Failed deployment ${what}`,
    subject,
    severity: incident.severity,
    phase: incident.phase,
    openedAt: incident.openedAt.toISOString(),
    timeline: timeline.map((e) => ({ at: e.at.toISOString(), actor: e.actor, kind: e.kind, text: timelineSentence(e.kind, e.detail) })),
    rootCause: { code: root?.code ?? incident.rootCause ?? null, summary: root ? `${root.title}. ${root.summary}` : incident.summary },
    impact: {
      failureStartedAt: iso(started),
      detectedAt: incident.openedAt.toISOString(),
      mitigatedAt: iso(mitigated),
      resolvedAt: iso(resolved),
      timeToDetectSeconds: seconds(started, incident.openedAt),
      timeToMitigateSeconds: seconds(incident.openedAt, mitigated),
      timeToResolveSeconds: seconds(incident.openedAt, resolved),
      podsAffected: pods,
      replicas: r ? { desired: r.desired, ready: r.ready, unavailable: r.unavailable } : null,
    },
    actionItems: actionItems(input, root),
  };
}

/** 95 → "1m 35s"; null → "not yet". */
export function durationText(s: number | null, unknown = 'not yet'): string {
  if (s === null) return unknown;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', rest || (!h && !m) ? `${rest}s` : ''].filter(Boolean).join(' ');
}

/** The report as Markdown, in seed 001's shape. Times are UTC; the date is in the title, and on entries of another day. */
export function reportMarkdown(r: IncidentReport): string {
  const day = r.openedAt.slice(0, 10);
  const when = (at: string) => (at.slice(0, 10) === day ? `${at.slice(11, 19)}` : `${at.slice(0, 10)} ${at.slice(11, 19)}`);
  const i = r.impact;
  const lines = [
    `# Post-Incident Report: ${r.title} ${day}`,
    '',
    `Incident ${r.id} · severity ${r.severity} · ${r.phase} · times in UTC`,
    '',
    '## Timeline',
    ...(r.timeline.length ? r.timeline.map((e) => `- ${when(e.at)} - ${e.text} (${e.actor})`) : ['- (no entries)']),
    '',
    '## Root Cause',
    r.rootCause.code ? `${r.rootCause.code}: ${r.rootCause.summary}` : r.rootCause.summary,
    '',
    '## Impact',
    `- Time to detect: ${durationText(i.timeToDetectSeconds, 'unknown (when the rollout started is not known)')}`,
    `- Time to mitigate: ${durationText(i.timeToMitigateSeconds)}`,
    `- Time to resolve: ${durationText(i.timeToResolveSeconds)}`,
    ...(i.podsAffected.length ? [`- Pods affected: ${i.podsAffected.length} (${i.podsAffected.slice(0, 10).join(', ')}${i.podsAffected.length > 10 ? ', …' : ''})`] : []),
    ...(i.replicas ? [`- Replicas: ${i.replicas.ready} of ${i.replicas.desired} ready, ${i.replicas.unavailable} unavailable (at the diagnosis)`] : []),
    '',
    '## Action Items',
    ...r.actionItems.map((a) => `- [ ] ${a}`),
  ];
  return lines.join('\n');
}
