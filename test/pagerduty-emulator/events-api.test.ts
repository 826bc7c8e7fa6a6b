import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { L1, L2, startPd, trigger, type Pd } from './helpers.js';

describe('PagerDuty emulator: Events API v2 through pdjs over HTTPS', () => {
  let pd: Pd;
  beforeAll(async () => {
    pd = await startPd();
  });
  afterAll(() => pd.stop());

  it('accepts a trigger with 202 and PagerDuty\'s body, and opens an incident assigned to the level-1 on-call', async () => {
    const res = await pd.send(trigger('inc-accept', { links: [{ href: 'https://slack.example/thread', text: 'Slack thread' }] }));
    expect(res.status).toBe(202);
    expect(res.data).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'inc-accept' });
    const [incident] = pd.em.incidents({ dedupKey: 'inc-accept' });
    expect(incident).toMatchObject({ status: 'triggered', urgency: 'high', severity: 'critical', assigneeIds: ['PALICE0'], escalationLevel: 1 });
    expect(pd.em.events({ dedupKey: 'inc-accept' })[0]).toMatchObject({ status: 202, outcome: 'created', routingKey: L1, userAgent: expect.stringMatching(/^pdjs\//) });
  });
});
