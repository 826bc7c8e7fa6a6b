/**
 * What an incident is made of: its subject and fingerprint, the facts transitions add, and the
 * phase derived from them (never stored as a flag the facts could contradict).
 */
import type { EscalationLevel, IncidentTerms, PageReason } from './escalation.js';
import type { FindingCode, Severity } from './finding.js';

export type IncidentPhase = 'investigating' | 'mitigating' | 'monitoring' | 'resolved';
export type DetectionSource = 'watcher' | 'alertmanager';

/** What failed: one rollout's revision, or (for alerts that map to no deployment) one Alertmanager group. */
export type IncidentSubject =
  | { kind: 'rollout'; cluster: string; namespace: string; deployment: string; revision: number }
  | { kind: 'alert-group'; groupKey: string };

/**
 * The same subject always gives the same fingerprint, so storms, retries and both intake paths merge
 * into one incident. Parts are URI-encoded: a cluster name may hold a "/", the fingerprint stays unambiguous.
 */
export function incidentFingerprint(subject: IncidentSubject): string {
  if (subject.kind === 'alert-group') return `alert-group:${subject.groupKey}`;
  const parts = [subject.cluster, subject.namespace, subject.deployment, String(subject.revision)];
  return `rollout:${parts.map(encodeURIComponent).join('/')}`;
}

export interface Detection {
  source: DetectionSource;
  severity: Severity;
  rootCause?: FindingCode;
  summary: string;
  /** Alertmanager's fingerprint of the firing alert, so its resolution can be matched. */
  alert?: string;
}

/** proposed and approved (then executing) mitigate; executed is being verified; the rest ended. */
export type FixStage = 'proposed' | 'approved' | 'executed' | 'verified' | 'failed' | 'abandoned';
export type AckVia = 'slack' | 'pagerduty';
export type ResolveReason = 'alert-resolved' | 'recovered' | 'fix-verified';
export type TimerKind = 'unanswered' | 'grace-end';

export interface IncidentFacts {
  subject: IncidentSubject;
  /** The policy as it was when the incident opened (as a proposal keeps its approval terms). */
  terms: IncidentTerms;
  openedAt: Date;
  /** The highest severity seen: a later, milder report never downgrades it. */
  severity: Severity;
  rootCause?: FindingCode;
  summary: string;
  sources: DetectionSource[];
  /** Alert fingerprints firing now; the incident resolves by alert when none is left and the watcher sees no failure. */
  firingAlerts: string[];
  watcherFailing: boolean;
  /** The current fix: the latest proposal made for this incident. */
  fix?: { proposalId: string; stage: FixStage; at: Date; detail?: string };
  /** The owner: who took the incident, in Slack or in PagerDuty. */
  acknowledged?: { by: string; via: AckVia; at: Date };
  /** Levels paged and not yet resolved in PagerDuty; emptied on resolution, so a reopening pages afresh. */
  pages: { level: EscalationLevel; reason: PageReason; at: Date }[];
  /** Armed while nobody has acted: at this time the unanswered rule pages. */
  unansweredDueAt?: Date;
  resolved?: { at: Date; by: string; reason: ResolveReason; graceUntil: Date };
  /** Set when the grace period ended: nothing reopens it any more, a new failure is a new incident. */
  closedAt?: Date;
  reopened: number;
}

export function phaseOf(facts: IncidentFacts): IncidentPhase {
  if (facts.resolved) return 'resolved';
  switch (facts.fix?.stage) {
    case 'proposed':
    case 'approved':
      return 'mitigating';
    case 'executed':
      return 'monitoring';
    default:
      return 'investigating';
  }
}

/** What the parent message shows; when it changes, the message is updated. */
export function headlineOf(facts: IncidentFacts): string {
  const { severity, rootCause, summary, acknowledged } = facts;
  return JSON.stringify([phaseOf(facts), severity, rootCause, summary, acknowledged?.by, facts.pages.map((p) => p.level)]);
}

/** A later revision of the same deployment failing: the new incident follows the old one. */
export type IncidentLinkKind = 'follows';

/** Of `candidates`, the incident a new one for `subject` follows: the same deployment's latest earlier revision. */
export function followedIncident<T extends { subject: IncidentSubject; openedAt: Date }>(subject: IncidentSubject, candidates: readonly T[]): T | undefined {
  if (subject.kind !== 'rollout') return undefined;
  let best: { incident: T; revision: number } | undefined;
  for (const c of candidates) {
    const s = c.subject;
    if (s.kind !== 'rollout' || s.cluster !== subject.cluster || s.namespace !== subject.namespace || s.deployment !== subject.deployment) continue;
    if (s.revision >= subject.revision) continue;
    if (!best || s.revision > best.revision || (s.revision === best.revision && c.openedAt > best.incident.openedAt)) best = { incident: c, revision: s.revision };
  }
  return best?.incident;
}
