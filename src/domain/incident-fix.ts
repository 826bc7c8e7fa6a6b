/**
 * The fix's part of the incident machine: the current proposal's progress moves the phase
 * (mitigating → monitoring → resolved), and a fix that failed its verification pages.
 * Events about an older proposal than the current fix are refused: a replaced proposal says nothing.
 */
import { SYSTEM_ACTOR } from './audit.js';
import { levelFor } from './escalation.js';
import { acted, accept, page, refuse, resolve, timeline, type IncidentEffect, type IncidentTransition } from './incident-effects.js';
import type { FixStage, IncidentFacts } from './incident-facts.js';

export type FixEvent =
  | { kind: 'fix-proposed'; proposalId: string; by: string }
  | { kind: 'fix-approved'; proposalId: string; by: string }
  | { kind: 'fix-executed'; proposalId: string }
  | { kind: 'fix-verified'; proposalId: string }
  | { kind: 'fix-failed'; proposalId: string; stage: 'execution' | 'verification'; detail: string }
  | { kind: 'fix-abandoned'; proposalId: string; cause: 'rejected' | 'expired' | 'superseded' };

/** The stage a fix must be in for each event (fix-proposed needs none). */
const FROM: Record<Exclude<FixEvent['kind'], 'fix-proposed'>, readonly FixStage[]> = {
  'fix-approved': ['proposed'],
  'fix-executed': ['approved'],
  'fix-verified': ['executed'],
  'fix-failed': ['approved', 'executed'],
  'fix-abandoned': ['proposed', 'approved'],
};

export function fixTransition(state: IncidentFacts, event: FixEvent, now: Date): IncidentTransition {
  const { fix } = state;
  if (event.kind === 'fix-proposed') {
    if (fix?.proposalId === event.proposalId) return refuse(state, `proposal ${event.proposalId} is already recorded`);
    // The bot's own proposal is not somebody acting on the incident.
    const next = event.by === SYSTEM_ACTOR ? state : acted(state);
    return accept(state, { ...next, fix: { proposalId: event.proposalId, stage: 'proposed', at: now } }, [timeline(now, event.by, 'fix-proposed', { proposalId: event.proposalId })]);
  }
  if (!fix || fix.proposalId !== event.proposalId) return refuse(state, `proposal ${event.proposalId} is not this incident's current fix`);
  const needed = event.kind === 'fix-failed' ? [event.stage === 'execution' ? 'approved' : 'executed'] : FROM[event.kind];
  if (!needed.includes(fix.stage)) return refuse(state, `the fix is ${fix.stage}; ${event.kind} needs it ${needed.join(' or ')}`);
  const proposalId = event.proposalId;
  switch (event.kind) {
    case 'fix-approved':
      return accept(state, { ...acted(state), fix: { proposalId, stage: 'approved', at: now } }, [timeline(now, event.by, 'fix-approved', { proposalId })]);
    case 'fix-executed':
      return accept(state, { ...state, fix: { proposalId, stage: 'executed', at: now } }, [timeline(now, SYSTEM_ACTOR, 'fix-executed', { proposalId })]);
    case 'fix-verified': {
      const effects: IncidentEffect[] = [timeline(now, SYSTEM_ACTOR, 'fix-verified', { proposalId })];
      return accept(state, resolve({ ...state, fix: { proposalId, stage: 'verified', at: now } }, SYSTEM_ACTOR, 'fix-verified', now, effects), effects);
    }
    case 'fix-failed': {
      const effects: IncidentEffect[] = [timeline(now, SYSTEM_ACTOR, 'fix-failed', { proposalId, stage: event.stage, detail: event.detail })];
      const failed: IncidentFacts = { ...state, fix: { proposalId, stage: 'failed', at: now, detail: event.detail } };
      // The rule pages for an executed fix that did not hold; a refused patch changed nothing and the thread says so.
      return accept(state, event.stage === 'verification' ? page(failed, levelFor(state.rootCause), 'fix-failed', now, effects) : failed, effects);
    }
    case 'fix-abandoned':
      return accept(state, { ...state, fix: { proposalId, stage: 'abandoned', at: now, detail: event.cause } }, [
        timeline(now, SYSTEM_ACTOR, 'fix-abandoned', { proposalId, cause: event.cause }),
      ]);
  }
}
