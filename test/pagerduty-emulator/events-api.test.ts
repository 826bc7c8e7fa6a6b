import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { L1, L2, startPd, trigger, type Pd } from './helpers.js';

/** A raw POST, for bodies pdjs would never send. */
function postRaw(pd: Pd, body: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${pd.em.url}/v2/enqueue`, { method: 'POST', agent: pd.agent, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('PagerDuty emulator: Events API v2 through pdjs over HTTPS', () => {
  let pd: Pd;
  beforeAll(async () => {
    pd = await startPd();
  });
  afterAll(() => pd.stop());

  it("accepts a trigger with 202 and PagerDuty's body, and opens an incident assigned to the level-1 on-call", async () => {
    const res = await pd.send(trigger('inc-accept', { links: [{ href: 'https://slack.example/thread', text: 'Slack thread' }] }));
    expect(res.status).toBe(202);
    expect(res.data).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'inc-accept' });
    const [incident] = pd.em.incidents({ dedupKey: 'inc-accept' });
    expect(incident).toMatchObject({ status: 'triggered', urgency: 'high', severity: 'critical', assigneeIds: ['PALICE0'], escalationLevel: 1, serviceId: 'PSVC001' });
    expect(incident!.alert.body).toMatchObject({ payload: { component: 'api-server' } });
    expect(pd.em.events({ dedupKey: 'inc-accept' })[0]).toMatchObject({ status: 202, outcome: 'created', routingKey: L1, userAgent: expect.stringMatching(/^pdjs\//) });
  });

  it('puts events with one dedup_key into one incident, acknowledges and resolves it, and opens a new one after', async () => {
    await pd.send(trigger('inc-dedup'));
    await pd.send(trigger('inc-dedup', { payload: { summary: 'again', source: 'prod/production', severity: 'error' } }));
    expect(pd.em.incidents({ dedupKey: 'inc-dedup' })).toHaveLength(1);
    expect(pd.em.incidents({ dedupKey: 'inc-dedup' })[0]!.alert.triggerCount).toBe(2);

    expect((await pd.send({ routing_key: L1, event_action: 'acknowledge', dedup_key: 'inc-dedup' })).status).toBe(202);
    expect(pd.em.incidents({ dedupKey: 'inc-dedup' })[0]!.status).toBe('acknowledged');
    expect((await pd.send({ routing_key: L1, event_action: 'resolve', dedup_key: 'inc-dedup' })).status).toBe(202);
    const [first] = pd.em.incidents({ dedupKey: 'inc-dedup' });
    expect(first!.status).toBe('resolved');
    expect(first!.history.map((h) => [h.type, h.status, h.via])).toEqual([
      ['incident.triggered', 'triggered', 'events_api'],
      ['trigger_appended', 'triggered', 'events_api'],
      ['incident.acknowledged', 'acknowledged', 'events_api'],
      ['incident.resolved', 'resolved', 'events_api'],
    ]);

    // A resolve with nothing open is accepted and dropped; a trigger after resolution is a new incident.
    expect((await pd.send({ routing_key: L1, event_action: 'resolve', dedup_key: 'inc-dedup' })).status).toBe(202);
    expect(pd.em.events({ dedupKey: 'inc-dedup' }).at(-1)!.outcome).toBe('dropped');
    await pd.send(trigger('inc-dedup'));
    expect(pd.em.incidents({ dedupKey: 'inc-dedup' }).map((i) => i.status)).toEqual(['resolved', 'triggered']);
    expect(pd.em.events({ dedupKey: 'inc-dedup' }).map((e) => e.outcome)).toEqual(['created', 'appended', 'acknowledged', 'resolved', 'dropped', 'created']);
  });

  it('keeps services apart: an acknowledge on another routing key does not touch the incident', async () => {
    await pd.send(trigger('inc-keys'));
    await pd.send({ routing_key: L2, event_action: 'acknowledge', dedup_key: 'inc-keys' });
    expect(pd.em.incidents({ dedupKey: 'inc-keys' }).map((i) => i.status)).toEqual(['triggered']);
    await pd.send(trigger('inc-keys', { routing_key: L2, payload: { summary: 's', source: 'x', severity: 'warning' } }));
    const byService = pd.em.incidents({ dedupKey: 'inc-keys' }).map((i) => [i.serviceId, i.urgency]);
    expect(byService).toEqual([['PSVC001', 'high'], ['PSVC002', 'low']]);
  });

  it('generates a dedup_key when a trigger has none', async () => {
    const { dedup_key, ...noKey } = trigger('unused');
    void dedup_key;
    const res = await pd.send(noKey);
    expect(res.data.dedup_key).toMatch(/^[0-9a-f]{32}$/);
    expect(pd.em.incidents({ dedupKey: res.data.dedup_key })).toHaveLength(1);
  });

  it('answers 202 for a well-formed event to a routing key with no integration, and drops it', async () => {
    const res = await pd.send(trigger('inc-nowhere', { routing_key: 'f'.repeat(32) }));
    expect(res.status).toBe(202);
    expect(pd.em.events({ dedupKey: 'inc-nowhere' })[0]!.outcome).toBe('dropped');
    expect(pd.em.incidents({ dedupKey: 'inc-nowhere' })).toEqual([]);
  });

  it.each([
    ['a short routing key', trigger('v1', { routing_key: 'abc' }), ["Length of 'routing_key' is incorrect (should be 32 characters)"]],
    ['no routing key or action', { payload: {} }, ["'routing_key' is missing or blank", "'event_action' is missing or blank"]],
    ['an unknown action', trigger('v2', { event_action: 'snooze' }), ["'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')"]],
    ['a dedup_key over 255 characters', trigger('k'.repeat(256)), ["Length of 'dedup_key' is incorrect (should be no more than 255 characters)"]],
    ['an acknowledge without dedup_key', { routing_key: L1, event_action: 'acknowledge' }, ["'dedup_key' is missing or blank"]],
    ['a trigger without payload', { routing_key: L1, event_action: 'trigger' }, ["'payload' is missing or blank"]],
    [
      'a payload missing summary, source and severity',
      trigger('v3', { payload: { component: 'x' } }),
      ["'payload.summary' is missing or blank", "'payload.source' is missing or blank", "'payload.severity' is missing or blank"],
    ],
    ['a summary over 1024 characters', trigger('v4', { payload: { summary: 's'.repeat(1025), source: 'x', severity: 'info' } }), ["Length of 'payload.summary' is incorrect (should be no more than 1024 characters)"]],
    ['an unknown severity', trigger('v5', { payload: { summary: 's', source: 'x', severity: 'fatal' } }), ["'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')"]],
    ['a bad timestamp', trigger('v6', { payload: { summary: 's', source: 'x', severity: 'info', timestamp: 'yesterday' } }), ["'payload.timestamp' is invalid (must be an ISO 8601 timestamp)"]],
    ['a link without href', trigger('v7', { links: [{ text: 'x' }] }), ["'links[0].href' is missing or blank"]],
    ['an image without src', trigger('v8', { images: [{ href: 'https://x' }] }), ["'images[0].src' is missing or blank"]],
  ])('refuses %s with 400 and PagerDuty wording', async (_name, data, errors) => {
    const res = await pd.send(data as Record<string, unknown>);
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ status: 'invalid event', message: 'Event object is invalid', errors });
  });

  it('refuses a body that is not a JSON object as an unrecognized object', async () => {
    expect(await postRaw(pd, '{"routing_key": ')).toEqual({ status: 400, json: { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] } });
    expect((await postRaw(pd, '[1,2]')).status).toBe(400);
  });

  it('accepts the optional fields a trigger may carry', async () => {
    const payload = { summary: 's', source: 'prod/production', severity: 'warning', timestamp: '2026-01-02T03:04:05.000+0000', component: 'api', group: 'prod', class: 'CRASH_LOOP', custom_details: { restarts: 7 } };
    const res = await pd.send(trigger('inc-full', { payload, images: [{ src: 'https://img.example/x.png' }], client: 'Deploy Medic', client_url: 'https://medic.example' }));
    expect(res.status).toBe(202);
    expect(pd.em.incidents({ dedupKey: 'inc-full' })[0]!.alert.body).toEqual({ payload, client: 'Deploy Medic', client_url: 'https://medic.example' });
    expect(pd.em.counters().enqueue!['202']).toBeGreaterThan(0);
  });
});
