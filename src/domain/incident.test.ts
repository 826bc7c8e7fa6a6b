import { describe, expect, it } from 'vitest';
import {
  alertDetection as alert,
  effectKinds as kinds,
  effectsOf,
  freshIncident as fresh,
  incidentTerms as terms,
  INCIDENT_T0 as T0,
  minutes as at,
  refusal,
  rollout,
  runIncident as run,
  watcherDetection as watcher,
} from '../../test/fixtures/incident-machine.js';
import { SYSTEM_ACTOR } from './audit.js';
import { followedIncident, incidentFingerprint, openIncident, phaseOf, transition, type IncidentEvent } from './incident.js';

describe('fingerprints', () => {
  it('the same rollout revision gives the same fingerprint; another revision, deployment or cluster another', () => {
    expect(incidentFingerprint(rollout(5))).toBe('rollout:prod/production/api-server/5');
    expect(incidentFingerprint(rollout(5))).toBe(incidentFingerprint({ ...rollout(5) }));
    expect(new Set([rollout(5), rollout(6), { ...rollout(5), deployment: 'web' }, { ...rollout(5), cluster: 'staging' }].map(incidentFingerprint)).size).toBe(4);
  });

  it('stays unambiguous when a cluster name holds a slash', () => {
    const a = incidentFingerprint({ ...rollout(), cluster: 'eu/prod' });
    expect(a).toBe('rollout:eu%2Fprod/production/api-server/5');
  });

  it('falls back to the Alertmanager group for alerts that map to no deployment', () => {
    expect(incidentFingerprint({ kind: 'alert-group', groupKey: '{}:{alertname="NodeDown"}' })).toBe('alert-group:{}:{alertname="NodeDown"}');
  });
});

describe('opening', () => {
  it('a non-critical failure investigates, posts the parent and arms the unanswered deadline', () => {
    const { state, effects } = openIncident(rollout(), watcher(), terms, T0);
    expect(phaseOf(state)).toBe('investigating');
    expect(kinds(effects)).toEqual(['timeline:opened', 'post-parent', 'schedule:unanswered']);
    expect(effects[2]).toEqual({ kind: 'schedule', timer: 'unanswered', dueAt: at(10) });
    expect(state).toMatchObject({ severity: 'error', rootCause: 'CRASH_LOOP', sources: ['watcher'], watcherFailing: true, unansweredDueAt: at(10), pages: [] });
  });

  it('a critical failure pages at once, routed by its root cause, and arms nothing', () => {
    const { state, effects } = openIncident(rollout(), alert('a1', { severity: 'critical', rootCause: 'INSUFFICIENT_RESOURCES' }), terms, T0);
    expect(kinds(effects)).toEqual(['timeline:opened', 'post-parent', 'page:trigger:L3', 'timeline:paged', 'post-thread:paged']);
    expect(effects).toContainEqual({ kind: 'page', action: 'trigger', level: 'L3', reason: 'severity' });
    expect(state.unansweredDueAt).toBeUndefined();
    expect(state.firingAlerts).toEqual(['a1']);
  });
});

describe('detections merge into one incident', () => {
  it('a repeat that adds nothing is refused, so a storm writes nothing', () => {
    expect(refusal(fresh(), { kind: 'detected', detection: watcher() }, at(1))).toBe('this failure is already part of the incident');
  });

  it('the other intake path is recorded and told in the thread', () => {
    const effects = effectsOf(fresh(), { kind: 'detected', detection: alert('a1') }, at(1));
    expect(kinds(effects)).toEqual(['timeline:detected', 'post-thread:detected']);
    expect(run(fresh(), [{ kind: 'detected', detection: alert('a1') }, at(1)])).toMatchObject({ sources: ['watcher', 'alertmanager'], firingAlerts: ['a1'] });
  });

  it('a more severe report raises the severity, takes its root cause, updates the parent and pages', () => {
    const effects = effectsOf(fresh(), { kind: 'detected', detection: alert('a1', { severity: 'critical', rootCause: 'OOM_KILLED' }) }, at(1));
    expect(kinds(effects)).toEqual(['timeline:detected', 'post-thread:detected', 'page:trigger:L2', 'timeline:paged', 'post-thread:paged', 'update-parent']);
    const next = run(fresh(), [{ kind: 'detected', detection: alert('a1', { severity: 'critical', rootCause: 'OOM_KILLED' }) }, at(1)]);
    expect(next).toMatchObject({ severity: 'critical', rootCause: 'OOM_KILLED' });
  });

  it('a milder report never downgrades the severity', () => {
    const next = run(fresh(), [{ kind: 'detected', detection: alert('a1', { severity: 'warning', rootCause: 'ROLLOUT_STUCK' }) }, at(1)]);
    expect(next).toMatchObject({ severity: 'error', rootCause: 'CRASH_LOOP' });
  });

  it("the diagnosis replaces a detection's root cause; the same verdict again is refused", () => {
    const diagnosed: IncidentEvent = { kind: 'diagnosed', severity: 'error', rootCause: 'APP_CONFIG_DNS_ERROR', summary: 'cannot resolve db' };
    expect(kinds(effectsOf(fresh(), diagnosed, at(1)))).toEqual(['timeline:diagnosed', 'update-parent']);
    const next = run(fresh(), [diagnosed, at(1)]);
    expect(next.rootCause).toBe('APP_CONFIG_DNS_ERROR');
    expect(refusal(next, diagnosed, at(2))).toBe('the diagnosis adds nothing new');
  });
});

describe('resolution', () => {
  const alertOnly = () => openIncident(rollout(), alert('a1'), terms, T0).state;

  it('the last resolved alert resolves an alert-only incident and starts the grace period', () => {
    const two = run(alertOnly(), [{ kind: 'detected', detection: alert('a2') }, at(1)]);
    const one = run(two, [{ kind: 'alert-resolved', alert: 'a1' }, at(2)]);
    expect(phaseOf(one)).toBe('investigating');
    const effects = effectsOf(one, { kind: 'alert-resolved', alert: 'a2' }, at(3));
    expect(kinds(effects)).toEqual(['timeline:alert-resolved', 'timeline:resolved', 'post-thread:resolved', 'schedule:grace-end', 'update-parent']);
    expect(effects).toContainEqual({ kind: 'schedule', timer: 'grace-end', dueAt: at(33) });
    expect(run(one, [{ kind: 'alert-resolved', alert: 'a2' }, at(3)]).resolved).toEqual({ at: at(3), by: 'alertmanager', reason: 'alert-resolved', graceUntil: at(33) });
  });

  it('a resolved alert does not resolve while the watcher still sees the rollout failing', () => {
    const both = run(fresh(), [{ kind: 'detected', detection: alert('a1') }, at(1)]);
    expect(phaseOf(run(both, [{ kind: 'alert-resolved', alert: 'a1' }, at(2)]))).toBe('investigating');
  });

  it('an alert that is not firing here is refused', () => {
    expect(refusal(fresh(), { kind: 'alert-resolved', alert: 'zz' }, at(1))).toBe('alert zz is not firing on this incident');
  });

  it('a recovered rollout resolves, and resolves every paged level in PagerDuty', () => {
    const paged = run(fresh(), [{ kind: 'escalated', by: 'U0ALICE' }, at(1)], [{ kind: 'escalated', by: 'U0ALICE' }, at(2)]);
    expect(paged.pages.map((p) => p.level)).toEqual(['L2', 'L3']);
    const effects = effectsOf(paged, { kind: 'recovered', detail: 'rollout complete' }, at(5));
    expect(kinds(effects)).toEqual(['timeline:recovered', 'page:resolve:L2', 'page:resolve:L3', 'timeline:resolved', 'post-thread:resolved', 'schedule:grace-end', 'update-parent']);
    expect(run(paged, [{ kind: 'recovered', detail: 'ok' }, at(5)])).toMatchObject({ pages: [], watcherFailing: false });
  });

  it('a resolved incident refuses fixes, acks, escalations and alert news', () => {
    const done = run(fresh(), [{ kind: 'recovered', detail: 'ok' }, at(1)]);
    for (const e of [{ kind: 'fix-proposed', proposalId: 'p1', by: 'U0A' }, { kind: 'acknowledged', by: 'U0A', via: 'slack' }, { kind: 'escalated', by: 'U0A' }, { kind: 'recovered', detail: '' }] as IncidentEvent[]) {
      expect(refusal(done, e, at(2))).toBe('this incident was resolved at 2025-03-04T10:28:00.000Z (recovered)');
    }
  });
});

describe('reopening and closing', () => {
  const resolved = () => run(fresh(), [{ kind: 'recovered', detail: 'ok' }, at(1)]);

  it('a new failure within the grace period reopens it and arms the unanswered deadline again', () => {
    const effects = effectsOf(resolved(), { kind: 'detected', detection: watcher() }, at(20));
    expect(kinds(effects)).toEqual(['timeline:reopened', 'post-thread:reopened', 'schedule:unanswered', 'update-parent']);
    const again = run(resolved(), [{ kind: 'detected', detection: watcher() }, at(20)]);
    expect(again).toMatchObject({ reopened: 1, unansweredDueAt: at(30), watcherFailing: true });
    expect(again.resolved).toBeUndefined();
    expect(phaseOf(again)).toBe('investigating');
  });

  it('a critical reopening pages afresh', () => {
    const effects = effectsOf(resolved(), { kind: 'detected', detection: watcher({ severity: 'critical' }) }, at(20));
    expect(kinds(effects)).toContain('page:trigger:L2');
  });

  it('an owner stays the owner on reopening: no deadline is armed', () => {
    const owned = run(fresh(), [{ kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, at(1)], [{ kind: 'recovered', detail: 'ok' }, at(2)]);
    expect(kinds(effectsOf(owned, { kind: 'detected', detection: watcher() }, at(10)))).toEqual(['timeline:reopened', 'post-thread:reopened', 'update-parent']);
  });

  it('after the grace period a failure is not merged: it is a new incident', () => {
    expect(refusal(resolved(), { kind: 'detected', detection: watcher() }, at(31))).toBe('this incident is closed; a new failure opens a new incident');
  });

  it('the grace-end timer closes it once; a stale or early timer is refused', () => {
    const r = resolved();
    expect(refusal(r, { kind: 'timer-due', timer: 'grace-end', dueAt: at(30) }, at(31))).toBe('the incident is not in this grace period');
    expect(refusal(r, { kind: 'timer-due', timer: 'grace-end', dueAt: at(31) }, at(20))).toBe('the incident is not in this grace period');
    const closed = run(r, [{ kind: 'timer-due', timer: 'grace-end', dueAt: at(31) }, at(31)]);
    expect(closed.closedAt).toEqual(at(31));
    expect(refusal(closed, { kind: 'timer-due', timer: 'grace-end', dueAt: at(31) }, at(32))).toBe('the incident is not in this grace period');
    expect(refusal(closed, { kind: 'detected', detection: watcher() }, at(32))).toBe('this incident is closed; a new failure opens a new incident');
  });
});

describe('notes and PagerDuty news', () => {
  it('a note goes on the timeline and in the thread, even after resolution; the bot noting is not acting', () => {
    const done = run(fresh(), [{ kind: 'recovered', detail: 'ok' }, at(1)]);
    expect(kinds(effectsOf(done, { kind: 'note', by: 'U0BOB', text: 'root cause: bad tag' }, at(40)))).toEqual(['timeline:note', 'post-thread:note']);
    expect(run(fresh(), [{ kind: 'note', by: SYSTEM_ACTOR, text: 'diagnosis posted' }, at(1)]).unansweredDueAt).toEqual(at(10));
  });

  it("PagerDuty's reassignments and annotations are shown, and change nothing else", () => {
    const event: IncidentEvent = { kind: 'pager-update', what: 'reassigned', by: 'pagerduty', detail: 'to Carol' };
    const r = transition(fresh(), event, at(3));
    expect(r.accepted && kinds(r.effects)).toEqual(['timeline:pager-update', 'post-thread:pager-update']);
    expect(r.accepted && r.state).toEqual(fresh());
  });
});

describe('every accepted transition records a timeline entry', () => {
  it('across a whole incident', () => {
    let state = fresh();
    const steps: [IncidentEvent, Date][] = [
      [{ kind: 'detected', detection: alert('a1') }, at(1)],
      [{ kind: 'diagnosed', severity: 'critical', rootCause: 'IMAGE_TAG_NOT_FOUND', summary: 'tag v2 missing' }, at(1)],
      [{ kind: 'fix-proposed', proposalId: 'p1', by: SYSTEM_ACTOR }, at(2)],
      [{ kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, at(3)],
      [{ kind: 'fix-approved', proposalId: 'p1', by: 'U0BOB' }, at(4)],
      [{ kind: 'fix-executed', proposalId: 'p1' }, at(5)],
      [{ kind: 'pager-update', what: 'annotated', by: 'pagerduty', detail: 'on it' }, at(5)],
      [{ kind: 'fix-verified', proposalId: 'p1' }, at(6)],
      [{ kind: 'detected', detection: watcher() }, at(10)],
      [{ kind: 'recovered', detail: 'ok' }, at(12)],
      [{ kind: 'timer-due', timer: 'grace-end', dueAt: at(42) }, at(42)],
    ];
    const phases: string[] = [];
    for (const [event, now] of steps) {
      const r = transition(state, event, now);
      if (!r.accepted) throw new Error(`refused ${event.kind}: ${r.reason}`);
      expect(r.effects.some((e) => e.kind === 'timeline'), event.kind).toBe(true);
      phases.push(r.phase);
      state = r.state;
    }
    expect(phases).toEqual(['investigating', 'investigating', 'mitigating', 'mitigating', 'mitigating', 'monitoring', 'monitoring', 'resolved', 'investigating', 'resolved', 'resolved']);
    expect(state.closedAt).toEqual(at(42));
  });
});

describe('links', () => {
  it('a later revision follows the same deployment\'s latest earlier incident', () => {
    const candidates = [
      { id: 'i3', subject: rollout(3), openedAt: at(0) },
      { id: 'i4', subject: rollout(4), openedAt: at(5) },
      { id: 'i6', subject: rollout(6), openedAt: at(9) },
      { id: 'w4', subject: { ...rollout(4), deployment: 'web' }, openedAt: at(9) },
    ];
    expect(followedIncident(rollout(5), candidates)?.id).toBe('i4');
    expect(followedIncident(rollout(3), candidates)).toBeUndefined();
    expect(followedIncident({ kind: 'alert-group', groupKey: 'g' }, candidates)).toBeUndefined();
  });
});
