import { afterEach, describe, expect, it } from 'vitest';
import { incidentWorld, SUBJECT, TARGET, type IncidentWorld } from './world.js';

/** incidents.reopenGraceMinutes from the policy file: within it a failing rollout reopens its resolved incident; after it, a new one opens. */
const detection = { source: 'watcher', severity: 'error', summary: 'CrashLoopBackOff' } as const;
let w: IncidentWorld;
afterEach(() => w?.close());

describe('the reopen grace period', () => {
  it('comes from the policy file: 5 minutes reopens at 4, opens anew at 6', async () => {
    w = await incidentWorld({ incidents: { reopenGraceMinutes: 5 } });
    const first = await w.incidents.detect({ subject: SUBJECT, detection });
    await w.incidents.recovered(TARGET, 'the rollout completed');
    expect((await w.incidents.get(first.incident.id))?.phase).toBe('resolved');

    w.clock.advance(4 * 60_000);
    const again = await w.incidents.detect({ subject: SUBJECT, detection });
    expect(again).toMatchObject({ created: false, incident: { id: first.incident.id } });
    expect((await w.incidents.get(first.incident.id))?.phase).not.toBe('resolved');

    await w.incidents.recovered(TARGET, 'the rollout completed');
    w.clock.advance(6 * 60_000);
    const later = await w.incidents.detect({ subject: SUBJECT, detection });
    expect(later.created).toBe(true);
    expect(later.incident.id).not.toBe(first.incident.id);
  });

  it('defaults to 30 minutes', async () => {
    w = await incidentWorld({});
    expect(w.policy.incidents.reopenGraceMinutes).toBe(30);
  });
});
