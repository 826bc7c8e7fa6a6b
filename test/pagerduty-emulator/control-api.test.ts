import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPd, trigger, WebhookReceiver, type Pd } from './helpers.js';

describe('PagerDuty emulator: the /_sim/v1/ control API (playground)', () => {
  let pd: Pd;
  let bot: WebhookReceiver;
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${pd.em.controlUrl}/_sim/v1/${path}`, { method, ...(body ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    return { status: res.status, json: await res.json() };
  };
  beforeAll(async () => {
    bot = await WebhookReceiver.start();
    pd = await startPd({ webhook: { url: bot.url, secret: 'whsec-playground' } });
  });
  afterAll(async () => {
    await pd.stop();
    await bot.stop();
  });

  it('shows the account, events, incidents, counters and deliveries', async () => {
    await pd.send(trigger('ctl-1'));
    await pd.em.webhooksIdle();
    const state = (await call('GET', 'state')).json;
    expect(state.services.map((s: { name: string }) => s.name)).toEqual(['DevOps (L1)', 'Backend engineering (L2)', 'Platform (L3)']);
    expect(state.subscriptions[0]).toMatchObject({ url: bot.url, secrets: ['whsec-playground'] });
    expect((await call('GET', 'events?dedup_key=ctl-1')).json).toMatchObject([{ outcome: 'created', status: 202 }]);
    const [incident] = (await call('GET', 'incidents?dedup_key=ctl-1')).json;
    expect((await call('GET', `incidents/${incident.id}`)).json.status).toBe('triggered');
    expect((await call('GET', 'counters')).json).toMatchObject({ enqueue: { '202': 1 } });
    expect((await call('GET', `deliveries?incident_id=${incident.id}`)).json).toMatchObject([{ eventType: 'incident.triggered', outcome: 'delivered' }]);
    expect(pd.em.env().PAGERDUTY_WEBHOOK_SECRET).toBe('whsec-playground');
  });

  it('acknowledges as the on-call, and the bot hears of it', async () => {
    const [incident] = pd.em.incidents({ dedupKey: 'ctl-1' });
    const res = await call('POST', `incidents/${incident!.id}/acknowledge`, {});
    expect(res).toMatchObject({ status: 200, json: { status: 'acknowledged', acknowledgements: [{ agent: { id: 'PALICE0' } }] } });
    await pd.em.waitFor(() => bot.received.find((r) => JSON.parse(r.body).event.event_type === 'incident.acknowledged'));
    expect((await call('POST', `incidents/${incident!.id}/notes`, { content: 'on it', userId: 'PBOB000' })).status).toBe(200);
    expect((await call('POST', `incidents/${incident!.id}/resolve`, {})).json.status).toBe('resolved');
    expect(await call('POST', `incidents/${incident!.id}/resolve`, {})).toEqual({ status: 400, json: { error: 'Incident Already Resolved' } });
  });

  it('injects faults and takes the HTTPS port down while staying reachable itself', async () => {
    expect((await call('POST', 'faults', { route: 'enqueue', kind: 'status', status: 500, times: 1 })).status).toBe(200);
    expect((await pd.send(trigger('ctl-fault'))).status).toBe(500);
    await call('POST', 'faults', { route: 'enqueue', kind: 'status', forMs: 60_000 });
    await expect(pd.send(trigger('ctl-fault'))).rejects.toMatchObject({ type: 'invalid-json' });
    await call('DELETE', 'faults');
    expect((await pd.send(trigger('ctl-fault'))).status).toBe(202);

    await call('POST', 'connections/refuse', {});
    expect((await call('GET', 'state')).json.acceptingConnections).toBe(false);
    await call('POST', 'connections/accept', {});
    expect((await call('GET', 'state')).json.acceptingConnections).toBe(true);
    expect((await call('POST', 'faults', { route: 'nowhere', kind: 'reset' })).status).toBe(400);
  });

  it('configures subscriptions and secrets, and sends a replayed delivery', async () => {
    const other = await WebhookReceiver.start();
    const sub = (await call('POST', 'webhooks/subscriptions', { url: other.url, events: ['incident.resolved'] })).json;
    expect(sub.secrets[0]).toMatch(/^[\w-]{32}$/);
    expect((await call('PUT', `webhooks/subscriptions/${sub.id}/secrets`, { secrets: ['a', 'b'] })).status).toBe(200);
    await pd.send(trigger('ctl-sub'));
    await pd.send({ routing_key: pd.em.routingKeys.L1!, event_action: 'resolve', dedup_key: 'ctl-sub' });
    await pd.em.webhooksIdle();
    expect(other.received.map((r) => JSON.parse(r.body).event.event_type)).toEqual(['incident.resolved']);
    expect(String(other.received[0]!.headers['x-pagerduty-signature']).split(',')).toHaveLength(2);

    const webhookId = String(other.received[0]!.headers['x-webhook-id']);
    const replay = await call('POST', `webhooks/deliveries/${webhookId}/replay`, {});
    expect(replay.json).toMatchObject({ webhookId, outcome: 'delivered', custom: true });
    const sent = await call('POST', 'webhooks/send', { subscriptionId: sub.id, body: { event: { event_type: 'incident.triggered' } }, signature: 'wrong' });
    expect(sent.json).toMatchObject({ eventType: 'incident.triggered', outcome: 'delivered' });
    expect(other.received).toHaveLength(3);
    await other.stop();
  });

  it('answers 404 for an unknown route', async () => {
    expect((await call('GET', 'nothing')).status).toBe(404);
  });
});
