import { describe, expect, it } from 'vitest';
import {
  effectKinds as kinds,
  effectsOf,
  freshIncident as fresh,
  minutes as at,
  refusal,
  runIncident as run,
} from '../../test/fixtures/incident-machine.js';
import { SYSTEM_ACTOR } from './audit.js';
import { phaseOf } from './incident.js';

describe('the fix', () => {
  const proposed = () => run(fresh(), [{ kind: 'fix-proposed', proposalId: 'p1', by: SYSTEM_ACTOR }, at(1)]);
  const executed = () => run(proposed(), [{ kind: 'fix-approved', proposalId: 'p1', by: 'U0BOB' }, at(2)], [{ kind: 'fix-executed', proposalId: 'p1' }, at(3)]);

  it('proposed and approved mitigate, executed monitors, verified resolves', () => {
    expect(phaseOf(proposed())).toBe('mitigating');
    expect(kinds(effectsOf(fresh(), { kind: 'fix-proposed', proposalId: 'p1', by: SYSTEM_ACTOR }, at(1)))).toEqual(['timeline:fix-proposed', 'update-parent']);
    const approved = run(proposed(), [{ kind: 'fix-approved', proposalId: 'p1', by: 'U0BOB' }, at(2)]);
    expect(phaseOf(approved)).toBe('mitigating');
    expect(kinds(effectsOf(approved, { kind: 'fix-executed', proposalId: 'p1' }, at(3)))).toEqual(['timeline:fix-executed', 'update-parent']);
    expect(phaseOf(executed())).toBe('monitoring');
    const effects = effectsOf(executed(), { kind: 'fix-verified', proposalId: 'p1' }, at(4));
    expect(kinds(effects)).toEqual(['timeline:fix-verified', 'timeline:resolved', 'post-thread:resolved', 'schedule:grace-end', 'update-parent']);
    expect(run(executed(), [{ kind: 'fix-verified', proposalId: 'p1' }, at(4)]).resolved?.reason).toBe('fix-verified');
  });

  it("the bot's own proposal leaves the unanswered deadline armed; an approval disarms it", () => {
    expect(proposed().unansweredDueAt).toEqual(at(10));
    expect(run(proposed(), [{ kind: 'fix-approved', proposalId: 'p1', by: 'U0BOB' }, at(2)]).unansweredDueAt).toBeUndefined();
    expect(run(fresh(), [{ kind: 'fix-proposed', proposalId: 'p1', by: 'U0ALICE' }, at(1)]).unansweredDueAt).toBeUndefined();
  });

  it('an executed fix that failed its verification goes back to investigating and pages', () => {
    const effects = effectsOf(executed(), { kind: 'fix-failed', proposalId: 'p1', stage: 'verification', detail: 'pods still crash' }, at(5));
    expect(kinds(effects)).toEqual(['timeline:fix-failed', 'page:trigger:L2', 'timeline:paged', 'post-thread:paged', 'update-parent']);
    expect(effects).toContainEqual({ kind: 'page', action: 'trigger', level: 'L2', reason: 'fix-failed' });
    expect(phaseOf(run(executed(), [{ kind: 'fix-failed', proposalId: 'p1', stage: 'verification', detail: 'x' }, at(5)]))).toBe('investigating');
  });

  it('a refused patch goes back to investigating without a page', () => {
    const approved = run(proposed(), [{ kind: 'fix-approved', proposalId: 'p1', by: 'U0BOB' }, at(2)]);
    expect(kinds(effectsOf(approved, { kind: 'fix-failed', proposalId: 'p1', stage: 'execution', detail: 'deployment changed' }, at(3)))).toEqual(['timeline:fix-failed', 'update-parent']);
  });

  it('a rejected or expired proposal goes back to investigating', () => {
    const abandoned = run(proposed(), [{ kind: 'fix-abandoned', proposalId: 'p1', cause: 'expired' }, at(16)]);
    expect(abandoned.fix).toEqual({ proposalId: 'p1', stage: 'abandoned', at: at(16), detail: 'expired' });
    expect(phaseOf(abandoned)).toBe('investigating');
  });

  it("refuses another proposal's news, events out of order, and the same proposal twice", () => {
    expect(refusal(proposed(), { kind: 'fix-approved', proposalId: 'p0', by: 'U0BOB' }, at(2))).toBe("proposal p0 is not this incident's current fix");
    expect(refusal(proposed(), { kind: 'fix-executed', proposalId: 'p1' }, at(2))).toBe('the fix is proposed; fix-executed needs it approved');
    expect(refusal(proposed(), { kind: 'fix-failed', proposalId: 'p1', stage: 'verification', detail: '' }, at(2))).toBe('the fix is proposed; fix-failed needs it executed');
    expect(refusal(proposed(), { kind: 'fix-proposed', proposalId: 'p1', by: 'U0A' }, at(2))).toBe('proposal p1 is already recorded');
    expect(refusal(fresh(), { kind: 'fix-verified', proposalId: 'p1' }, at(2))).toBe("proposal p1 is not this incident's current fix");
  });

  it('a newer proposal becomes the current fix', () => {
    const second = run(proposed(), [{ kind: 'fix-proposed', proposalId: 'p2', by: 'U0ALICE' }, at(2)]);
    expect(second.fix).toMatchObject({ proposalId: 'p2', stage: 'proposed' });
    expect(refusal(second, { kind: 'fix-approved', proposalId: 'p1', by: 'U0BOB' }, at(3))).toBe("proposal p1 is not this incident's current fix");
  });
});
