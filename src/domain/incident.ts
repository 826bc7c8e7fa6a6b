/**
 * The incident state machine: pure, times passed in.
 *
 *   investigating ─► mitigating (a fix proposed/approved) ─► monitoring (executed, verifying) ─► resolved
 *        ▲               │ rejected/expired/refused               │ verification failed (pages)
 *        └───────────────┴────────────────────────────────────────┘
 *   resolved ──(a new failure within the grace period)──► reopened, investigating again
 *   resolved ──(grace period over)──► closed: a new failure of the same rollout is a new incident
 *
 * A resolved alert (the last one firing, while the watcher sees no failure), a recovered rollout or a
 * verified fix resolves. The service saves the new state before it runs any effect.
 */
import { SYSTEM_ACTOR } from './audit.js';
import { levelAbove, levelFor, type EscalationLevel, type IncidentTerms } from './escalation.js';
import { SEVERITY_ORDER, type FindingCode, type Severity } from './finding.js';
import { accept, acted, escalateOrArm, page, pageIfSevere, refuse, resolve, timeline, type IncidentEffect, type IncidentTransition, type PagerUpdate } from './incident-effects.js';
import { headlineOf, type AckVia, type Detection, type DetectionSource, type IncidentFacts, type IncidentSubject, type TimerKind } from './incident-facts.js';
import { fixTransition, type FixEvent } from './incident-fix.js';

export * from './incident-effects.js';
export * from './incident-facts.js';
export type { FixEvent } from './incident-fix.js';

export type IncidentEvent =
  | { kind: 'detected'; detection: Detection }
  /** The diagnosis's verdict: its root cause replaces a detection's guess. */
  | { kind: 'diagnosed'; severity: Severity; rootCause?: FindingCode; summary: string }
  | { kind: 'alert-resolved'; alert: string }
  | { kind: 'recovered'; detail: string }
  | FixEvent
  | { kind: 'acknowledged'; by: string; via: AckVia }
  /** The Escalate button: the routed level, or the one above what is paged already. */
  | { kind: 'escalated'; by: string }
  /** PagerDuty's own news (webhooks v3), shown in the thread; the rollout's health, not PagerDuty, resolves. */
  | { kind: 'pager-update'; what: PagerUpdate; by: string; detail: string }
  | { kind: 'note'; by: string; text: string }
  | { kind: 'timer-due'; timer: TimerKind; dueAt: Date };

/** A new incident's facts and effects: the parent message, then a page or the unanswered deadline. */
export function openIncident(subject: IncidentSubject, detection: Detection, terms: IncidentTerms, now: Date): { state: IncidentFacts; effects: IncidentEffect[] } {
  const opened: IncidentFacts = {
    subject,
    terms,
    openedAt: now,
    severity: detection.severity,
    summary: detection.summary,
    sources: [detection.source],
    firingAlerts: detection.alert ? [detection.alert] : [],
    watcherFailing: detection.source === 'watcher',
    pages: [],
    reopened: 0,
    ...(detection.rootCause ? { rootCause: detection.rootCause } : {}),
  };
  const effects: IncidentEffect[] = [timeline(now, actorOf(detection.source), 'opened', detectionDetail(detection)), { kind: 'post-parent' }];
  return { state: escalateOrArm(opened, now, effects), effects };
}

export function transition(state: IncidentFacts, event: IncidentEvent, now: Date): IncidentTransition {
  const { resolved } = state;
  switch (event.kind) {
    case 'note': {
      const effects: IncidentEffect[] = [timeline(now, event.by, 'note', { text: event.text }), { kind: 'post-thread', notice: { kind: 'note', by: event.by, text: event.text } }];
      return accept(state, event.by === SYSTEM_ACTOR ? state : acted(state), effects);
    }
    case 'pager-update': {
      const { what, by, detail } = event;
      return accept(state, state, [timeline(now, by, 'pager-update', { what, detail }), { kind: 'post-thread', notice: { kind: 'pager-update', what, by, detail } }]);
    }
    case 'timer-due':
      return event.timer === 'unanswered' ? unanswered(state, event.dueAt, now) : graceEnd(state, event.dueAt, now);
    case 'detected':
      if (!resolved) return merge(state, event.detection, now);
      if (state.closedAt || now >= resolved.graceUntil) return refuse(state, 'this incident is closed; a new failure opens a new incident');
      return reopen(state, event.detection, now);
  }
  if (resolved) return refuse(state, `this incident was resolved at ${resolved.at.toISOString()} (${resolved.reason})`);
  switch (event.kind) {
    case 'diagnosed': {
      const next: IncidentFacts = { ...state, severity: higher(state.severity, event.severity), summary: event.summary, ...(event.rootCause ? { rootCause: event.rootCause } : {}) };
      if (headlineOf(next) === headlineOf(state)) return refuse(state, 'the diagnosis adds nothing new');
      const effects = [timeline(now, SYSTEM_ACTOR, 'diagnosed', { severity: event.severity, rootCause: event.rootCause, summary: event.summary })];
      return accept(state, pageIfSevere(next, now, effects), effects);
    }
    case 'alert-resolved': {
      if (!state.firingAlerts.includes(event.alert)) return refuse(state, `alert ${event.alert} is not firing on this incident`);
      const next = { ...state, firingAlerts: state.firingAlerts.filter((a) => a !== event.alert) };
      const effects = [timeline(now, 'alertmanager', 'alert-resolved', { alert: event.alert })];
      return accept(state, next.firingAlerts.length === 0 && !next.watcherFailing ? resolve(next, 'alertmanager', 'alert-resolved', now, effects) : next, effects);
    }
    case 'recovered': {
      const effects = [timeline(now, SYSTEM_ACTOR, 'recovered', { detail: event.detail })];
      return accept(state, resolve({ ...state, watcherFailing: false }, SYSTEM_ACTOR, 'recovered', now, effects), effects);
    }
    case 'acknowledged': {
      const owner = state.acknowledged;
      if (owner) return refuse(state, `<@${owner.by}> already took this incident at ${owner.at.toISOString()}`);
      const effects: IncidentEffect[] = [timeline(now, event.by, 'acknowledged', { via: event.via }), { kind: 'post-thread', notice: { kind: 'acknowledged', by: event.by, via: event.via } }];
      // An acknowledgement that came from PagerDuty is known there already.
      if (event.via === 'slack') for (const p of state.pages) effects.push({ kind: 'page', action: 'acknowledge', level: p.level });
      return accept(state, { ...acted(state), acknowledged: { by: event.by, via: event.via, at: now } }, effects);
    }
    case 'escalated': {
      const level = escalationLevel(state);
      if (!level) return refuse(state, 'every level is paged already');
      const effects: IncidentEffect[] = [];
      return accept(state, page(state, level, 'manual', now, effects, event.by), effects);
    }
    default:
      return fixTransition(state, event, now);
  }
}

function merge(state: IncidentFacts, d: Detection, now: Date): IncidentTransition {
  const next = absorb(state, d);
  const same = (k: 'sources' | 'firingAlerts') => next[k].length === state[k].length;
  if (headlineOf(next) === headlineOf(state) && same('sources') && same('firingAlerts') && next.watcherFailing === state.watcherFailing) {
    return refuse(state, 'this failure is already part of the incident');
  }
  const effects: IncidentEffect[] = [timeline(now, actorOf(d.source), 'detected', detectionDetail(d))];
  if (!state.sources.includes(d.source)) effects.push({ kind: 'post-thread', notice: { kind: 'detected', source: d.source, severity: d.severity } });
  return accept(state, pageIfSevere(next, now, effects), effects);
}

function reopen(state: IncidentFacts, d: Detection, now: Date): IncidentTransition {
  const { resolved: _resolved, ...open } = absorb(state, d);
  const reopened: IncidentFacts = { ...open, reopened: state.reopened + 1 };
  const effects: IncidentEffect[] = [
    timeline(now, actorOf(d.source), 'reopened', detectionDetail(d)),
    { kind: 'post-thread', notice: { kind: 'reopened', source: d.source, times: reopened.reopened } },
  ];
  // The owner stays the owner; without one, nobody has acted on this episode yet.
  return accept(state, reopened.acknowledged ? pageIfSevere(reopened, now, effects) : escalateOrArm(reopened, now, effects), effects);
}

/** A detection's facts added to the incident's: sources, alerts, the highest severity and its root cause. */
function absorb(state: IncidentFacts, d: Detection): IncidentFacts {
  const more = SEVERITY_ORDER[d.severity] < SEVERITY_ORDER[state.severity];
  const rootCause = more || !state.rootCause ? (d.rootCause ?? state.rootCause) : state.rootCause;
  return {
    ...state,
    severity: higher(state.severity, d.severity),
    summary: more ? d.summary : state.summary,
    sources: state.sources.includes(d.source) ? state.sources : [...state.sources, d.source],
    firingAlerts: d.alert && !state.firingAlerts.includes(d.alert) ? [...state.firingAlerts, d.alert] : state.firingAlerts,
    watcherFailing: state.watcherFailing || d.source === 'watcher',
    ...(rootCause ? { rootCause } : {}),
  };
}

/** The deadline armed when nobody had acted: still armed at `dueAt`, it pages the routed level. */
function unanswered(state: IncidentFacts, dueAt: Date, now: Date): IncidentTransition {
  if (state.resolved || state.unansweredDueAt?.getTime() !== dueAt.getTime() || now < dueAt) {
    return refuse(state, 'someone acted, or the incident was paged or resolved, before this deadline');
  }
  const effects: IncidentEffect[] = [];
  const next = page(state, levelFor(state.rootCause), 'unanswered', now, effects);
  return effects.length ? accept(state, next, effects) : refuse(state, 'the routed level is paged already');
}

function graceEnd(state: IncidentFacts, dueAt: Date, now: Date): IncidentTransition {
  const { resolved } = state;
  if (!resolved || state.closedAt || resolved.graceUntil.getTime() !== dueAt.getTime() || now < dueAt) {
    return refuse(state, 'the incident is not in this grace period');
  }
  return accept(state, { ...state, closedAt: now }, [timeline(now, SYSTEM_ACTOR, 'closed', { resolvedAt: resolved.at.toISOString() })]);
}

/** The level the Escalate button pages: the routed one, else the next one up that is not paged. */
function escalationLevel(state: IncidentFacts): EscalationLevel | undefined {
  let level: EscalationLevel | undefined = levelFor(state.rootCause);
  while (level && state.pages.some((p) => p.level === level)) level = levelAbove(level);
  return level;
}

const higher = (a: Severity, b: Severity): Severity => (SEVERITY_ORDER[b] < SEVERITY_ORDER[a] ? b : a);
const actorOf = (source: DetectionSource) => (source === 'alertmanager' ? 'alertmanager' : SYSTEM_ACTOR);
const detectionDetail = (d: Detection) => ({ source: d.source, severity: d.severity, rootCause: d.rootCause, summary: d.summary, alert: d.alert });
