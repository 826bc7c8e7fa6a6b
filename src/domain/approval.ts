/**
 * The approval state machine of a proposal: pure, times passed in.
 *
 *   pending ─► approved ─► executing ─► succeeded | failed
 *      ├─► rejected      (a Reject by any approver)
 *      ├─► expired       (no longer votable from expiresAt on, derived from the deadline)
 *      └─► superseded    (also from approved)
 *
 * The state is the facts (terms, votes, lifecycle); `status` is derived from them and the time,
 * never stored as flags. A Deployment that changed before execution is modelled as `superseded`
 * with cause 'deployment-changed' (the approval is void), as is a proposal replaced by a newer
 * one ('replaced'): either way it is closed and the thread offers a fresh proposal.
 *
 * Who counts as an approver is the policy module's decision: callers refuse a non-approver
 * before calling `transition`. Once approved, a proposal stays approved past its deadline: the
 * approval was given in time, and the binding check before the patch guards against change.
 */
import { SYSTEM_ACTOR, type AuditNote } from './audit.js';

export type Verdict = 'approve' | 'reject';
export type ExecutionOutcome = 'succeeded' | 'failed';
export type SupersedeCause = 'deployment-changed' | 'replaced';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'superseded' | 'executing' | 'succeeded' | 'failed';

export interface Vote {
  userId: string;
  verdict: Verdict;
  at: Date;
}

/** What happened to the proposal besides votes, each with when. */
export interface ApprovalLifecycle {
  superseded?: { at: Date; actor: string; cause: SupersedeCause; detail: string };
  /** When the expiry was noticed and announced; the proposal was expired from expiresAt on regardless. */
  expiryRecordedAt?: Date;
  execution?: { startedAt: Date; finished?: { at: Date; outcome: ExecutionOutcome; detail: string } };
}

export interface ApprovalFacts {
  requester: string;
  createdAt: Date;
  expiresAt: Date;
  /** Approvals needed, from distinct approvers. */
  required: number;
  /** Protected namespace: the requester may not approve. */
  fourEyes: boolean;
  votes: readonly Vote[];
  lifecycle: ApprovalLifecycle;
}

export interface ApprovalTerms {
  requester: string;
  required: number;
  fourEyes: boolean;
  ttlMinutes: number;
}

export type ApprovalEvent =
  | { kind: 'vote'; userId: string; verdict: Verdict }
  | { kind: 'expire' }
  | { kind: 'supersede'; actor: string; cause: SupersedeCause; detail: string }
  | { kind: 'start' }
  | { kind: 'finish'; outcome: ExecutionOutcome; detail: string };

/** What the thread should be told; rendering is the chat layer's business. */
export type ApprovalNotice =
  | { kind: 'vote-recorded'; by: string; approvals: number; required: number }
  | { kind: 'approved'; approvers: string[] }
  | { kind: 'rejected'; by: string }
  | { kind: 'expired'; expiresAt: Date }
  | { kind: 'superseded'; cause: SupersedeCause; detail: string };

/** Run by the service after the new state is saved. `execute` is claimed in the store before it runs. */
export type ApprovalEffect = { kind: 'audit'; entry: AuditNote } | { kind: 'post'; notice: ApprovalNotice } | { kind: 'execute' };

export type Transition<S extends ApprovalFacts> =
  | { accepted: true; state: S; status: ApprovalStatus; /** the vote this transition adds */ vote?: Vote; effects: ApprovalEffect[] }
  | { accepted: false; status: ApprovalStatus; reason: string };

/** A new proposal's facts and its audit entry. */
export function openApproval(terms: ApprovalTerms, now: Date): { state: ApprovalFacts; effects: ApprovalEffect[] } {
  const expiresAt = new Date(now.getTime() + terms.ttlMinutes * 60_000);
  const state: ApprovalFacts = { requester: terms.requester, createdAt: now, expiresAt, required: terms.required, fourEyes: terms.fourEyes, votes: [], lifecycle: {} };
  const detail = { required: terms.required, fourEyes: terms.fourEyes, expiresAt: expiresAt.toISOString() };
  return { state, effects: [audit(now, terms.requester, 'proposed', detail)] };
}

/** The distinct users whose approval counts (never the requester under four-eyes). */
export function approversOf(facts: ApprovalFacts): string[] {
  const ids = facts.votes.filter((v) => v.verdict === 'approve' && !(facts.fourEyes && v.userId === facts.requester)).map((v) => v.userId);
  return [...new Set(ids)];
}

export function status(facts: ApprovalFacts, now: Date): ApprovalStatus {
  const { execution, superseded, expiryRecordedAt } = facts.lifecycle;
  if (execution?.finished) return execution.finished.outcome;
  if (execution) return 'executing';
  if (superseded) return 'superseded';
  if (facts.votes.some((v) => v.verdict === 'reject')) return 'rejected';
  if (approversOf(facts).length >= facts.required) return 'approved';
  if (expiryRecordedAt || now.getTime() >= facts.expiresAt.getTime()) return 'expired';
  return 'pending';
}

export function transition<S extends ApprovalFacts>(state: S, event: ApprovalEvent, now: Date): Transition<S> {
  const current = status(state, now);
  switch (event.kind) {
    case 'vote':
      return current === 'pending' ? vote(state, event.userId, event.verdict, now) : refuse(current, explain(state, current, now));
    case 'expire':
      if (current !== 'expired' || state.lifecycle.expiryRecordedAt) return refuse(current, explain(state, current, now));
      return accept({ ...state, lifecycle: { ...state.lifecycle, expiryRecordedAt: now } }, now, [
        audit(now, SYSTEM_ACTOR, 'expired', { expiresAt: state.expiresAt.toISOString() }),
        { kind: 'post', notice: { kind: 'expired', expiresAt: state.expiresAt } },
      ]);
    case 'supersede': {
      if (current !== 'pending' && current !== 'approved') return refuse(current, explain(state, current, now));
      const { actor, cause, detail } = event;
      return accept({ ...state, lifecycle: { ...state.lifecycle, superseded: { at: now, actor, cause, detail } } }, now, [
        audit(now, actor, 'superseded', { cause, detail }),
        { kind: 'post', notice: { kind: 'superseded', cause, detail } },
      ]);
    }
    case 'start':
      if (current !== 'approved') return refuse(current, explain(state, current, now));
      return accept({ ...state, lifecycle: { ...state.lifecycle, execution: { startedAt: now } } }, now, [
        audit(now, SYSTEM_ACTOR, 'execution-started', { approvers: approversOf(state) }),
      ]);
    case 'finish': {
      const execution = state.lifecycle.execution;
      if (current !== 'executing' || !execution) return refuse(current, explain(state, current, now));
      const finished = { at: now, outcome: event.outcome, detail: event.detail };
      return accept({ ...state, lifecycle: { ...state.lifecycle, execution: { ...execution, finished } } }, now, [
        audit(now, SYSTEM_ACTOR, 'execution-finished', { outcome: event.outcome, detail: event.detail }),
      ]);
    }
  }
}

/** A vote on a pending proposal. */
function vote<S extends ApprovalFacts>(state: S, userId: string, verdict: Verdict, now: Date): Transition<S> {
  const previous = state.votes.find((v) => v.userId === userId);
  if (previous) {
    const more = state.required - approversOf(state).length;
    const rest = previous.verdict === 'approve' ? `; it needs ${more} more ${plural(more, 'approval')} from other approvers` : '';
    return refuse('pending', `you already ${previous.verdict === 'approve' ? 'approved' : 'rejected'} this proposal at ${formatUtc(previous.at, now)}${rest}`);
  }
  if (verdict === 'approve' && state.fourEyes && userId === state.requester) {
    return refuse('pending', 'you requested this change; in a protected namespace another approver must approve it');
  }
  const cast: Vote = { userId, verdict, at: now };
  const next: S = { ...state, votes: [...state.votes, cast] };
  const effects: ApprovalEffect[] = [audit(now, userId, 'vote', { verdict })];
  const after = status(next, now);
  if (after === 'rejected') {
    effects.push(audit(now, userId, 'rejected', {}), { kind: 'post', notice: { kind: 'rejected', by: userId } });
  } else if (after === 'approved') {
    const approvers = approversOf(next);
    effects.push(audit(now, userId, 'approved', { approvers }), { kind: 'post', notice: { kind: 'approved', approvers } }, { kind: 'execute' });
  } else {
    effects.push({ kind: 'post', notice: { kind: 'vote-recorded', by: userId, approvals: approversOf(next).length, required: next.required } });
  }
  return { accepted: true, state: next, status: after, vote: cast, effects };
}

function accept<S extends ApprovalFacts>(next: S, now: Date, effects: ApprovalEffect[]): Transition<S> {
  return { accepted: true, state: next, status: status(next, now), effects };
}

function refuse(current: ApprovalStatus, reason: string): Transition<never> {
  return { accepted: false, status: current, reason };
}

function audit(at: Date, actor: string, kind: AuditNote['kind'], detail: Record<string, unknown>): ApprovalEffect {
  return { kind: 'audit', entry: { at, actor, kind, detail } };
}

/** Why nothing more can happen to a proposal in this status, in words for the person who tried. */
function explain(facts: ApprovalFacts, current: ApprovalStatus, now: Date): string {
  const { superseded, execution } = facts.lifecycle;
  switch (current) {
    case 'pending':
      return `this proposal is waiting for approval (${approversOf(facts).length} of ${facts.required}) until ${formatUtc(facts.expiresAt, now)}`;
    case 'approved':
      return `this proposal is already approved by ${approversOf(facts).map(mention).join(', ')} and is about to run`;
    case 'rejected': {
      const rejection = facts.votes.find((v) => v.verdict === 'reject');
      const by = rejection ? `${mention(rejection.userId)} at ${formatUtc(rejection.at, now)}` : 'an approver';
      return `this proposal was rejected by ${by}; propose it again if it is still needed`;
    }
    case 'expired':
      return `this proposal expired at ${formatUtc(facts.expiresAt, now)}; propose it again`;
    case 'superseded':
      return `this proposal no longer applies: ${superseded?.detail ?? 'it was replaced'}; propose it again`;
    case 'executing':
      return 'this proposal is already running';
    case 'succeeded':
      return 'this proposal already ran and succeeded';
    case 'failed':
      return `this proposal already ran and failed: ${execution?.finished?.detail ?? 'see the thread'}`;
  }
}

/** "10:42 UTC", with the date when it is not today's (UTC). */
export function formatUtc(at: Date, now: Date): string {
  const iso = at.toISOString();
  const time = `${iso.slice(11, 16)} UTC`;
  return iso.slice(0, 10) === now.toISOString().slice(0, 10) ? time : `${iso.slice(0, 10)} ${time}`;
}

const mention = (userId: string) => `<@${userId}>`;
const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);
