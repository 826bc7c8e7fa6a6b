import { describe, expect, it } from 'vitest';
import { effectKinds as kinds, effectsOf, freshIncident as fresh, minutes as at, refusal, runIncident as run } from '../../test/fixtures/incident-machine.js';
import { CATEGORY_LEVEL, FINDING_CATEGORY, graceEndsAt, levelAbove, levelFor, pagesImmediately, unansweredDueAt, type IncidentTerms } from './escalation.js';
import { FINDING_CODES } from './finding.js';

const terms: IncidentTerms = { pageImmediately: ['critical'], unansweredMinutes: 10, reopenGraceMinutes: 30 };
const T0 = new Date('2025-03-04T10:27:00Z');

describe('routing by root cause (seed 000: L1 DevOps, L2 backend, L3 platform)', () => {
  it('every finding code has a category, and nothing else does', () => {
    const missing = FINDING_CODES.filter((code) => !(code in FINDING_CATEGORY));
    expect(missing).toEqual([]);
    expect(Object.keys(FINDING_CATEGORY).sort()).toEqual([...FINDING_CODES].sort());
  });

  it('rollout and image problems go to DevOps, code and configuration to backend, cluster resources to platform', () => {
    expect(['IMAGE_TAG_NOT_FOUND', 'IMAGE_PULL_UNAUTHORIZED', 'PROGRESS_DEADLINE_EXCEEDED', 'ROLLOUT_PAUSED'].map((c) => levelFor(c as never))).toEqual(['L1', 'L1', 'L1', 'L1']);
    expect(['CRASH_LOOP', 'APP_CONFIG_DNS_ERROR', 'MISSING_SECRET', 'OOM_KILLED', 'PROBE_PORT_MISMATCH'].map((c) => levelFor(c as never))).toEqual(['L2', 'L2', 'L2', 'L2', 'L2']);
    expect(['INSUFFICIENT_RESOURCES', 'QUOTA_EXCEEDED', 'UNTOLERATED_TAINT', 'PVC_UNBOUND', 'REGISTRY_UNREACHABLE'].map((c) => levelFor(c as never))).toEqual(['L3', 'L3', 'L3', 'L3', 'L3']);
  });

  it('no root cause yet goes to the first responders', () => {
    expect(levelFor(undefined)).toBe('L1');
  });

  it('each category has its level, and levels climb to L3', () => {
    expect(CATEGORY_LEVEL).toEqual({ rollout: 'L1', application: 'L2', platform: 'L3' });
    expect([levelAbove('L1'), levelAbove('L2'), levelAbove('L3')]).toEqual(['L2', 'L3', undefined]);
  });
});

describe('when to page', () => {
  it('at once for the severities in pageImmediately only', () => {
    expect(pagesImmediately(terms, 'critical')).toBe(true);
    expect(pagesImmediately(terms, 'error')).toBe(false);
    expect(pagesImmediately({ ...terms, pageImmediately: ['critical', 'error'] }, 'error')).toBe(true);
  });

  it('the unanswered deadline and the grace period count from the time given', () => {
    expect(unansweredDueAt(terms, T0).toISOString()).toBe('2025-03-04T10:37:00.000Z');
    expect(graceEndsAt(terms, T0).toISOString()).toBe('2025-03-04T10:57:00.000Z');
  });
});

describe('acknowledgement, escalation and the unanswered rule', () => {
  const paged = () => run(fresh(), [{ kind: 'escalated', by: 'U0ALICE' }, at(1)]);

  it('an ack in Slack takes ownership, disarms the deadline and acknowledges PagerDuty', () => {
    expect(kinds(effectsOf(fresh(), { kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, at(1)))).toEqual(['timeline:acknowledged', 'post-thread:acknowledged', 'update-parent']);
    expect(kinds(effectsOf(paged(), { kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, at(2)))).toEqual(['timeline:acknowledged', 'post-thread:acknowledged', 'page:acknowledge:L2', 'update-parent']);
    const owned = run(fresh(), [{ kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, at(1)]);
    expect(owned).toMatchObject({ acknowledged: { by: 'U0BOB', via: 'slack', at: at(1) } });
    expect(owned.unansweredDueAt).toBeUndefined();
  });

  it("PagerDuty's ack is not sent back to PagerDuty; a second ack is refused", () => {
    expect(kinds(effectsOf(paged(), { kind: 'acknowledged', by: 'PD-CAROL', via: 'pagerduty' }, at(2)))).toEqual(['timeline:acknowledged', 'post-thread:acknowledged', 'update-parent']);
    const owned = run(paged(), [{ kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, at(2)]);
    expect(refusal(owned, { kind: 'acknowledged', by: 'U0DAN', via: 'slack' }, at(3))).toBe('<@U0BOB> already took this incident at 2025-03-04T10:29:00.000Z');
  });

  it('the Escalate button pages the routed level, then the next one up, until none is left', () => {
    expect(effectsOf(fresh(), { kind: 'escalated', by: 'U0ALICE' }, at(1))).toContainEqual({ kind: 'page', action: 'trigger', level: 'L2', reason: 'manual' });
    expect(effectsOf(paged(), { kind: 'escalated', by: 'U0ALICE' }, at(2))).toContainEqual({ kind: 'page', action: 'trigger', level: 'L3', reason: 'manual' });
    const top = run(paged(), [{ kind: 'escalated', by: 'U0ALICE' }, at(2)]);
    expect(refusal(top, { kind: 'escalated', by: 'U0ALICE' }, at(3))).toBe('every level is paged already');
    expect(effectsOf(fresh(), { kind: 'escalated', by: 'U0ALICE' }, at(1))).toContainEqual({ kind: 'timeline', entry: { at: at(1), actor: 'U0ALICE', kind: 'paged', detail: { level: 'L2', reason: 'manual' } } });
  });

  it('nobody acting before the deadline pages the routed level once', () => {
    const effects = effectsOf(fresh(), { kind: 'timer-due', timer: 'unanswered', dueAt: at(10) }, at(10));
    expect(kinds(effects)).toEqual(['page:trigger:L2', 'timeline:paged', 'post-thread:paged', 'update-parent']);
    const fired = run(fresh(), [{ kind: 'timer-due', timer: 'unanswered', dueAt: at(10) }, at(10)]);
    expect(refusal(fired, { kind: 'timer-due', timer: 'unanswered', dueAt: at(10) }, at(11))).toBe('someone acted, or the incident was paged or resolved, before this deadline');
  });

  it('the deadline does not page after someone acted, before it is due, or for another deadline', () => {
    const noted = run(fresh(), [{ kind: 'note', by: 'U0BOB', text: 'looking' }, at(2)]);
    const reason = 'someone acted, or the incident was paged or resolved, before this deadline';
    expect(refusal(noted, { kind: 'timer-due', timer: 'unanswered', dueAt: at(10) }, at(10))).toBe(reason);
    expect(refusal(fresh(), { kind: 'timer-due', timer: 'unanswered', dueAt: at(10) }, at(9))).toBe(reason);
    expect(refusal(fresh(), { kind: 'timer-due', timer: 'unanswered', dueAt: at(11) }, at(11))).toBe(reason);
  });
});
