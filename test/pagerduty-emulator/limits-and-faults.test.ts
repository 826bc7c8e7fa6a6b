import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RATE_LIMITED_BODY } from '../../src/sim/pagerduty/events-api.js';
import { L1, L2, startPd, trigger, type Pd } from './helpers.js';

describe('PagerDuty emulator: the Events API rate limit and injected faults', () => {
  let pd: Pd;
  let clock = Date.parse('2026-03-01T10:00:00Z');
  beforeAll(async () => {
    pd = await startPd({ now: () => clock });
  });
  afterAll(() => pd.stop());
  beforeEach(() => {
    pd.em.clearFaults();
    pd.em.resetRateLimits();
  });

  it('accepts 120 events a minute per routing key, then answers 429; the window slides', async () => {
    for (let i = 0; i < 120; i++) expect((await pd.send(trigger(`rl-${i % 5}`))).status).toBe(202);
    // pdjs retries a 429 three times by itself, after `retryTimeout` ms (default 20 s): each try counts.
    const refused = await pd.send(trigger('rl-over'), { retryTimeout: 1 });
    expect(refused.status).toBe(429);
    expect(refused.data).toEqual(RATE_LIMITED_BODY);
    expect(pd.em.events({ dedupKey: 'rl-over' }).map((e) => e.outcome)).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'rate_limited']);
    expect(pd.em.incidents({ dedupKey: 'rl-over' })).toEqual([]);

    // Another routing key has its own budget.
    expect((await pd.send(trigger('rl-other', { routing_key: L2 }))).status).toBe(202);
    clock += 60_001;
    expect((await pd.send(trigger('rl-over'))).status).toBe(202);
    expect(pd.em.counters().enqueue).toMatchObject({ '429': 4 });
  });

  it('answers a 500 with JSON that pdjs hands back', async () => {
    pd.em.failNext('enqueue', { kind: 'status', status: 500 });
    const res = await pd.send(trigger('f-500'));
    expect(res.status).toBe(500);
    expect((await pd.send(trigger('f-500'))).status).toBe(202);
    expect(pd.em.events({ dedupKey: 'f-500' }).map((e) => [e.status, e.outcome])).toEqual([[500, 'fault'], [202, 'created']]);
  });

  it('answers 502-504 with an HTML page, which makes pdjs reject instead of resolving', async () => {
    pd.em.failNext('enqueue', { kind: 'status', status: 503 }, 2);
    await expect(pd.send(trigger('f-503'))).rejects.toMatchObject({ type: 'invalid-json' });
    await expect(pd.send(trigger('f-503'))).rejects.toMatchObject({ type: 'invalid-json' });
    expect((await pd.send(trigger('f-503'))).status).toBe(202);
  });

  it('answers 429 with Retry-After when told to', async () => {
    pd.em.failNext('enqueue', { kind: 'rate_limited', retryAfterSeconds: 7 }, 4);
    const res = await pd.send(trigger('f-429'), { retryTimeout: 1 });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('fails every request for a time window on the emulator clock', async () => {
    pd.em.failFor('enqueue', { kind: 'status', status: 500 }, 30_000);
    expect((await pd.send(trigger('f-window'))).status).toBe(500);
    expect((await pd.send(trigger('f-window'))).status).toBe(500);
    clock += 30_001;
    expect((await pd.send(trigger('f-window'))).status).toBe(202);
  });

  it('cuts the connection of the next request (ECONNRESET)', async () => {
    pd.em.failNext('enqueue', { kind: 'reset' });
    await expect(pd.send(trigger('f-reset'))).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await pd.send(trigger('f-reset'))).status).toBe(202);
    expect(pd.em.counters().enqueue).toMatchObject({ reset: 1 });
  });

  it('never answers a stalled request: only the caller\'s own signal ends it (pdjs requestTimeout does not)', async () => {
    pd.em.failNext('enqueue', { kind: 'stalled' });
    const started = Date.now();
    await expect(pd.send(trigger('f-stall'), { requestTimeout: 50, signal: AbortSignal.timeout(500) })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('refuses connections while down, for good or for a while', async () => {
    // A pooled keep-alive socket cut by the outage fails with ECONNRESET; a new connection is refused.
    const settle = () => new Promise((r) => setTimeout(r, 50));
    await pd.em.refuseConnections();
    await settle();
    await expect(pd.send(trigger('f-down'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await pd.em.acceptConnections();
    expect((await pd.send(trigger('f-down'))).status).toBe(202);

    await pd.em.refuseConnections(200);
    await settle();
    await expect(pd.send(trigger('f-down-briefly'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await pd.em.waitFor(() => pd.em.acceptingConnections, { timeoutMs: 2000 });
    expect((await pd.send(trigger('f-down-briefly'))).status).toBe(202);
    expect(pd.em.events({ dedupKey: 'f-down-briefly' }).map((e) => e.outcome)).toEqual(['created']);
  });

  it('keeps faults to their route: a REST fault leaves the Events API alone, `*` hits both', async () => {
    pd.em.failNext('oncalls', { kind: 'status', status: 500 });
    expect((await pd.send(trigger('f-route'))).status).toBe(202);
    const oncalls = await pd.rest.get('/oncalls');
    expect(oncalls.status).toBe(500);
    expect(oncalls.data).toEqual({ error: { message: 'An internal error has occurred. PagerDuty team has been notified.', code: 2000 } });
    expect((await pd.rest.get('/oncalls')).status).toBe(200);

    pd.em.failNext('*', { kind: 'rate_limited', retryAfterSeconds: 1 }, 8);
    expect((await pd.rest.get('/incidents', { retryTimeout: 1 })).status).toBe(429);
    expect((await pd.send({ routing_key: L1, event_action: 'resolve', dedup_key: 'f-route' }, { retryTimeout: 1 })).status).toBe(429);
  });
});
