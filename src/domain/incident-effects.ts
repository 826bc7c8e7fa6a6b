/**
 * What an incident transition produces (timeline entries, messages, pages, timers, as data) and the
 * steps transitions share: paging, resolving, accepting with the parent message kept current.
 */
import { SYSTEM_ACTOR } from './audit.js';
import { graceEndsAt, levelFor, pagesImmediately, unansweredDueAt, type EscalationLevel, type PageReason } from './escalation.js';
import type { Severity } from './finding.js';
import { headlineOf, phaseOf, type AckVia, type DetectionSource, type IncidentFacts, type IncidentPhase, type ResolveReason, type TimerKind } from './incident-facts.js';

export type FixEventKind = 'fix-proposed' | 'fix-approved' | 'fix-executed' | 'fix-verified' | 'fix-failed' | 'fix-abandoned';
export type PagerUpdate = 'resolved' | 'escalated' | 'reassigned' | 'annotated';

/** Stable names: the report and `--output json` show them. */
export type TimelineKind =
  | 'opened'
  | 'detected'
  | 'reopened'
  | 'diagnosed'
  | 'alert-resolved'
  | 'recovered'
  | FixEventKind
  | 'acknowledged'
  | 'paged'
  | 'pager-update'
  | 'note'
  | 'resolved'
  | 'closed';

export interface TimelineNote {
  at: Date;
  actor: string;
  kind: TimelineKind;
  detail: Record<string, unknown>;
}

/** What the thread should be told; rendering is the chat layer's business. */
export type IncidentNotice =
  | { kind: 'detected'; source: DetectionSource; severity: Severity }
  | { kind: 'reopened'; source: DetectionSource; times: number }
  | { kind: 'paged'; level: EscalationLevel; reason: PageReason }
  | { kind: 'acknowledged'; by: string; via: AckVia }
  | { kind: 'pager-update'; what: PagerUpdate; by: string; detail: string }
  | { kind: 'note'; by: string; text: string }
  | { kind: 'resolved'; reason: ResolveReason; by: string };

export type PageAction = 'trigger' | 'acknowledge' | 'resolve';

/** Run by the service after the new state is saved; the store writes timeline, outbox and timers in the same transaction. */
export type IncidentEffect =
  | { kind: 'timeline'; entry: TimelineNote }
  /** The parent message, rendered from the saved record when it is delivered. */
  | { kind: 'post-parent' }
  | { kind: 'update-parent' }
  | { kind: 'post-thread'; notice: IncidentNotice }
  | { kind: 'page'; action: PageAction; level: EscalationLevel; reason?: PageReason }
  | { kind: 'schedule'; timer: TimerKind; dueAt: Date };

export type IncidentTransition =
  | { accepted: true; state: IncidentFacts; phase: IncidentPhase; effects: IncidentEffect[] }
  | { accepted: false; phase: IncidentPhase; reason: string };

/** Every accepted transition records a timeline entry; the parent is updated when what it shows changed. */
export function accept(before: IncidentFacts, next: IncidentFacts, effects: IncidentEffect[]): IncidentTransition {
  if (!effects.some((e) => e.kind === 'timeline')) throw new Error('an accepted incident transition must record a timeline entry');
  const all: IncidentEffect[] = headlineOf(before) === headlineOf(next) ? effects : [...effects, { kind: 'update-parent' }];
  return { accepted: true, state: next, phase: phaseOf(next), effects: all };
}

export function refuse(state: IncidentFacts, reason: string): IncidentTransition {
  return { accepted: false, phase: phaseOf(state), reason };
}

export function timeline(at: Date, actor: string, kind: TimelineKind, detail: Record<string, unknown>): IncidentEffect {
  return { kind: 'timeline', entry: { at, actor, kind, detail } };
}

/** On opening (and reopening without an owner): page now for a severe incident, else arm the unanswered deadline. */
export function escalateOrArm(state: IncidentFacts, now: Date, effects: IncidentEffect[]): IncidentFacts {
  if (pagesImmediately(state.terms, state.severity)) return page(state, levelFor(state.rootCause), 'severity', now, effects);
  const dueAt = unansweredDueAt(state.terms, now);
  effects.push({ kind: 'schedule', timer: 'unanswered', dueAt });
  return { ...state, unansweredDueAt: dueAt };
}

/** Pages when the severity (now) calls for it and nothing is paged yet. */
export function pageIfSevere(state: IncidentFacts, now: Date, effects: IncidentEffect[]): IncidentFacts {
  if (!pagesImmediately(state.terms, state.severity) || state.pages.length > 0) return state;
  return page(state, levelFor(state.rootCause), 'severity', now, effects);
}

/** Triggers `level` unless it is paged already; a page answers the unanswered rule, so its deadline is disarmed. */
export function page(state: IncidentFacts, level: EscalationLevel, reason: PageReason, now: Date, effects: IncidentEffect[], actor = SYSTEM_ACTOR): IncidentFacts {
  if (state.pages.some((p) => p.level === level)) return acted(state);
  effects.push(
    { kind: 'page', action: 'trigger', level, reason },
    timeline(now, actor, 'paged', { level, reason }),
    { kind: 'post-thread', notice: { kind: 'paged', level, reason } },
  );
  return { ...acted(state), pages: [...state.pages, { level, reason, at: now }] };
}

/** Resolves PagerDuty for every paged level and starts the grace period in which a new failure reopens. */
export function resolve(state: IncidentFacts, by: string, reason: ResolveReason, now: Date, effects: IncidentEffect[]): IncidentFacts {
  const graceUntil = graceEndsAt(state.terms, now);
  for (const p of state.pages) effects.push({ kind: 'page', action: 'resolve', level: p.level });
  effects.push(
    timeline(now, by, 'resolved', { reason, graceUntil: graceUntil.toISOString() }),
    { kind: 'post-thread', notice: { kind: 'resolved', reason, by } },
    { kind: 'schedule', timer: 'grace-end', dueAt: graceUntil },
  );
  return { ...acted(state), pages: [], resolved: { at: now, by, reason, graceUntil } };
}

/** Someone acted (or was paged): the unanswered deadline no longer applies. */
export function acted(state: IncidentFacts): IncidentFacts {
  const { unansweredDueAt: _due, ...rest } = state;
  return rest;
}
