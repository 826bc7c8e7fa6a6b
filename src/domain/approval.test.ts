import { describe, expect, it } from 'vitest';
import { openApproval, status, transition, formatUtc, type ApprovalEvent, type ApprovalFacts, type ApprovalTerms } from './approval.js';
import { SYSTEM_ACTOR } from './audit.js';

const T0 = new Date('2025-03-04T10:27:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const terms = (over: Partial<ApprovalTerms> = {}): ApprovalTerms => ({ requester: 'U0ALICE', required: 1, fourEyes: true, ttlMinutes: 15, ...over });
const fresh = (over: Partial<ApprovalTerms> = {}) => openApproval(terms(over), T0).state;
const approve = (userId: string): ApprovalEvent => ({ kind: 'vote', userId, verdict: 'approve' });
const reject = (userId: string): ApprovalEvent => ({ kind: 'vote', userId, verdict: 'reject' });

/** Applies events that must all be accepted; returns the final facts. */
function run(state: ApprovalFacts, ...steps: [ApprovalEvent, Date][]): ApprovalFacts {
  for (const [event, now] of steps) {
    const r = transition(state, event, now);
    if (!r.accepted) throw new Error(`refused ${event.kind}: ${r.reason}`);
    state = r.state;
  }
  return state;
}

function refusal(state: ApprovalFacts, event: ApprovalEvent, now: Date): string {
  const r = transition(state, event, now);
  if (r.accepted) throw new Error(`accepted ${event.kind}`);
  return r.reason;
}

const kinds = (state: ApprovalFacts, event: ApprovalEvent, now: Date) => {
  const r = transition(state, event, now);
  return r.accepted ? r.effects.map((e) => (e.kind === 'audit' ? `audit:${e.entry.kind}` : e.kind === 'post' ? `post:${e.notice.kind}` : e.kind)) : [];
};

describe('openApproval', () => {
  it('sets the deadline from the TTL and audits the proposal', () => {
    const { state, effects } = openApproval(terms({ ttlMinutes: 15 }), T0);
    expect(state.expiresAt.toISOString()).toBe('2025-03-04T10:42:00.000Z');
    expect(status(state, T0)).toBe('pending');
    expect(effects).toEqual([{ kind: 'audit', entry: { at: T0, actor: 'U0ALICE', kind: 'proposed', detail: { required: 1, fourEyes: true, expiresAt: '2025-03-04T10:42:00.000Z' } } }]);
  });
});

describe('votes', () => {
  it('one approval of one required approves and asks for execution', () => {
    const r = transition(fresh(), approve('U0BOB'), at(1));
    expect(r).toMatchObject({ accepted: true, status: 'approved', vote: { userId: 'U0BOB', verdict: 'approve', at: at(1) } });
    expect(kinds(fresh(), approve('U0BOB'), at(1))).toEqual(['audit:vote', 'audit:approved', 'post:approved', 'execute']);
  });

  it('required: 2 needs two distinct approvers', () => {
    const one = run(fresh({ required: 2 }), [approve('U0BOB'), at(1)]);
    expect(status(one, at(1))).toBe('pending');
    expect(kinds(fresh({ required: 2 }), approve('U0BOB'), at(1))).toEqual(['audit:vote', 'post:vote-recorded']);
    const r = transition(one, approve('U0CAROL'), at(2));
    expect(r.accepted && r.status).toBe('approved');
    expect(r.accepted && r.effects).toContainEqual({ kind: 'post', notice: { kind: 'approved', approvers: ['U0BOB', 'U0CAROL'] } });
  });

  it('a second vote by the same user is refused and does not count', () => {
    const one = run(fresh({ required: 2 }), [approve('U0BOB'), at(1)]);
    expect(refusal(one, approve('U0BOB'), at(2))).toBe('you already approved this proposal at 10:28 UTC; it needs 1 more approval from other approvers');
    expect(refusal(one, reject('U0BOB'), at(2))).toMatch(/^you already approved this proposal/);
    expect(status(one, at(2))).toBe('pending');
  });

  it('four-eyes: the requester may not approve, in words', () => {
    expect(refusal(fresh(), approve('U0ALICE'), at(1))).toBe('you requested this change; in a protected namespace another approver must approve it');
  });

  it('without four-eyes the requester may approve', () => {
    expect(transition(fresh({ fourEyes: false }), approve('U0ALICE'), at(1))).toMatchObject({ accepted: true, status: 'approved' });
  });

  it('the requester may withdraw by rejecting, even under four-eyes', () => {
    expect(transition(fresh(), reject('U0ALICE'), at(1))).toMatchObject({ accepted: true, status: 'rejected' });
  });

  it('a reject by any approver ends it, even after an approval of two required', () => {
    const one = run(fresh({ required: 2 }), [approve('U0BOB'), at(1)]);
    const r = transition(one, reject('U0CAROL'), at(2));
    expect(r.accepted && r.status).toBe('rejected');
    expect(kinds(one, reject('U0CAROL'), at(2))).toEqual(['audit:vote', 'audit:rejected', 'post:rejected']);
    const rejected = run(one, [reject('U0CAROL'), at(2)]);
    expect(refusal(rejected, approve('U0DAVE'), at(3))).toBe('this proposal was rejected by <@U0CAROL> at 10:29 UTC; propose it again if it is still needed');
  });

  it('a reject after the approval is complete is refused', () => {
    const approved = run(fresh(), [approve('U0BOB'), at(1)]);
    expect(refusal(approved, reject('U0CAROL'), at(2))).toBe('this proposal is already approved by <@U0BOB> and is about to run');
  });

  it('a vote one millisecond before the deadline counts; one exactly at the deadline is refused as expired', () => {
    const deadline = at(15);
    expect(transition(fresh(), approve('U0BOB'), new Date(deadline.getTime() - 1))).toMatchObject({ accepted: true, status: 'approved' });
    expect(status(fresh(), deadline)).toBe('expired');
    expect(refusal(fresh(), approve('U0BOB'), deadline)).toBe('this proposal expired at 10:42 UTC; propose it again');
  });

  it('names the date of an expiry on another day', () => {
    expect(refusal(fresh(), approve('U0BOB'), at(24 * 60))).toBe('this proposal expired at 2025-03-04 10:42 UTC; propose it again');
  });

  it('votes after execution started or finished are refused', () => {
    const executing = run(fresh(), [approve('U0BOB'), at(1)], [{ kind: 'start' }, at(1)]);
    expect(refusal(executing, approve('U0CAROL'), at(2))).toBe('this proposal is already running');
    const failed = run(executing, [{ kind: 'finish', outcome: 'failed', detail: 'pods crash-looping' }, at(5)]);
    expect(refusal(failed, reject('U0CAROL'), at(6))).toBe('this proposal already ran and failed: pods crash-looping');
    const succeeded = run(executing, [{ kind: 'finish', outcome: 'succeeded', detail: 'verified' }, at(5)]);
    expect(refusal(succeeded, approve('U0CAROL'), at(6))).toBe('this proposal already ran and succeeded');
  });
});

describe('expiry', () => {
  it('is recorded once, by the sweeper, after the deadline', () => {
    expect(refusal(fresh(), { kind: 'expire' }, at(14))).toBe('this proposal is waiting for approval (0 of 1) until 10:42 UTC');
    const r = transition(fresh(), { kind: 'expire' }, at(15));
    expect(r).toMatchObject({ accepted: true, status: 'expired' });
    expect(r.accepted && r.effects).toEqual([
      { kind: 'audit', entry: { at: at(15), actor: SYSTEM_ACTOR, kind: 'expired', detail: { expiresAt: '2025-03-04T10:42:00.000Z' } } },
      { kind: 'post', notice: { kind: 'expired', expiresAt: at(15) } },
    ]);
    const recorded = run(fresh(), [{ kind: 'expire' }, at(16)]);
    expect(refusal(recorded, { kind: 'expire' }, at(17))).toMatch(/expired at 10:42 UTC/);
  });

  it('does not touch an approved proposal: it stays approved past the deadline', () => {
    const approved = run(fresh(), [approve('U0BOB'), at(1)]);
    expect(status(approved, at(30))).toBe('approved');
    expect(transition(approved, { kind: 'expire' }, at(30)).accepted).toBe(false);
    expect(transition(approved, { kind: 'start' }, at(30))).toMatchObject({ accepted: true, status: 'executing' });
  });
});

describe('supersede', () => {
  const changed: ApprovalEvent = { kind: 'supersede', actor: SYSTEM_ACTOR, cause: 'deployment-changed', detail: 'api-server changed since it was proposed (generation 4 → 5)' };

  it('voids a pending or approved proposal', () => {
    for (const state of [fresh(), run(fresh(), [approve('U0BOB'), at(1)])]) {
      const r = transition(state, changed, at(2));
      expect(r).toMatchObject({ accepted: true, status: 'superseded' });
      expect(kinds(state, changed, at(2))).toEqual(['audit:superseded', 'post:superseded']);
    }
    const voided = run(fresh(), [changed, at(2)]);
    expect(refusal(voided, approve('U0BOB'), at(3))).toBe('this proposal no longer applies: api-server changed since it was proposed (generation 4 → 5); propose it again');
    expect(refusal(voided, { kind: 'start' }, at(3))).toMatch(/no longer applies/);
  });

  it('is refused once execution started, and on an expired proposal', () => {
    const executing = run(fresh(), [approve('U0BOB'), at(1)], [{ kind: 'start' }, at(1)]);
    expect(refusal(executing, changed, at(2))).toBe('this proposal is already running');
    expect(refusal(fresh(), changed, at(20))).toMatch(/^this proposal expired/);
  });
});

describe('execution', () => {
  it('starts only when approved, finishes only when executing, each audited', () => {
    expect(refusal(fresh({ required: 2 }), { kind: 'start' }, at(1))).toBe('this proposal is waiting for approval (0 of 2) until 10:42 UTC');
    const approved = run(fresh(), [approve('U0BOB'), at(1)]);
    expect(refusal(approved, { kind: 'finish', outcome: 'succeeded', detail: '' }, at(1))).toMatch(/already approved/);
    expect(kinds(approved, { kind: 'start' }, at(1))).toEqual(['audit:execution-started']);
    const executing = run(approved, [{ kind: 'start' }, at(1)]);
    expect(refusal(executing, { kind: 'start' }, at(1))).toBe('this proposal is already running');
    const done = transition(executing, { kind: 'finish', outcome: 'succeeded', detail: 'verified' }, at(3));
    expect(done).toMatchObject({ accepted: true, status: 'succeeded' });
    expect(done.accepted && done.effects).toEqual([
      { kind: 'audit', entry: { at: at(3), actor: SYSTEM_ACTOR, kind: 'execution-finished', detail: { outcome: 'succeeded', detail: 'verified' } } },
    ]);
  });

  it('every accepted transition carries an audit effect', () => {
    const steps: [ApprovalEvent, Date][] = [[approve('U0BOB'), at(1)], [{ kind: 'start' }, at(1)], [{ kind: 'finish', outcome: 'failed', detail: 'x' }, at(2)]];
    let state = fresh();
    for (const [event, now] of steps) {
      const r = transition(state, event, now);
      expect(r.accepted && r.effects.some((e) => e.kind === 'audit')).toBe(true);
      if (r.accepted) state = r.state;
    }
  });
});

describe('transition keeps the caller record', () => {
  it('passes extra fields of a stored record through', () => {
    const record = { ...fresh(), id: 'p1', version: 3 };
    const r = transition(record, approve('U0BOB'), at(1));
    expect(r.accepted && r.state).toMatchObject({ id: 'p1', version: 3 });
    expect(record.votes).toEqual([]);
  });
});

describe('formatUtc', () => {
  it('shows the time, and the date when not today', () => {
    expect(formatUtc(at(15), at(0))).toBe('10:42 UTC');
    expect(formatUtc(at(15), at(15 * 60))).toBe('2025-03-04 10:42 UTC');
  });
});
