import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookSubscription } from '../../src/sim/pagerduty/webhooks.js';
import { L1, startPd, trigger, WebhookReceiver, type Pd, type Received } from './helpers.js';

/** The bot's check, written from PagerDuty's description: any `v1=` entry matching, compared in constant time. */
function verified(r: Received, secret: string): boolean {
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(r.body, 'utf8').digest('hex')}`);
  const header = String(r.headers['x-pagerduty-signature'] ?? '');
  return header.split(',').some((sig) => sig.length === expected.length && timingSafeEqual(Buffer.from(sig), expected));
}

describe('PagerDuty emulator: webhooks v3 to the bot', () => {
  let pd: Pd;
  let bot: WebhookReceiver;
  let sub: WebhookSubscription;
  beforeAll(async () => {
    pd = await startPd({ webhookRetryDelaysMs: [20, 40, 80, 160] });
  });
  afterAll(() => pd.stop());
  beforeEach(async () => {
    bot = await WebhookReceiver.start();
    sub = pd.em.subscribeWebhooks({ url: bot.url, secret: 'whsec-current' });
  });
  afterEach(async () => {
    await pd.em.webhooksIdle();
    pd.em.webhooks.unsubscribe(sub.id);
    await bot.stop();
  });

  it('posts a signed v3 envelope with PagerDuty\'s headers on each incident change', async () => {
    await pd.send(trigger('wh-1', { client: 'Deploy Medic' }));
    const [incident] = pd.em.incidents({ dedupKey: 'wh-1' });
    pd.em.acknowledge(incident!.id);
    pd.em.escalate(incident!.id);
    pd.em.reassign(incident!.id, ['PCAROL0']);
    pd.em.addNote(incident!.id, 'Rolled back');
    pd.em.resolve(incident!.id);
    await pd.em.webhooksIdle();

    const types = bot.received.map((r) => JSON.parse(r.body).event.event_type);
    expect(types).toEqual(['incident.triggered', 'incident.acknowledged', 'incident.escalated', 'incident.reassigned', 'incident.annotated', 'incident.resolved']);
    const [first] = bot.received;
    expect(first!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'PagerDuty-Webhook/V3.0',
      'x-webhook-subscription': sub.id,
      'x-webhook-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      'x-pagerduty-signature': expect.stringMatching(/^v1=[0-9a-f]{64}$/),
    });
    expect(bot.received.every((r) => verified(r, 'whsec-current'))).toBe(true);
    expect(new Set(bot.received.map((r) => r.headers['x-webhook-id'])).size).toBe(6);

    const triggered = JSON.parse(first!.body).event;
    expect(triggered).toMatchObject({
      id: expect.any(String),
      resource_type: 'incident',
      occurred_at: expect.stringMatching(/Z$/),
      agent: { id: 'PSVC001', type: 'service_reference' },
      client: { name: 'Deploy Medic' },
      data: { id: incident!.id, type: 'incident', status: 'triggered', incident_key: 'wh-1', urgency: 'high', service: { id: 'PSVC001' }, assignees: [{ id: 'PALICE0' }] },
    });
    const acked = JSON.parse(bot.received[1]!.body).event;
    expect(acked).toMatchObject({ agent: { id: 'PALICE0', type: 'user_reference' }, data: { status: 'acknowledged' } });
    expect(JSON.parse(bot.received[2]!.body).event.data).toMatchObject({ status: 'triggered', assignees: [{ id: 'PBOB000' }] });
    expect(JSON.parse(bot.received[4]!.body).event.data).toMatchObject({ type: 'incident_note', content: 'Rolled back', incident: { id: incident!.id, type: 'incident_reference' } });
    expect(pd.em.deliveries({ incidentId: incident!.id }).every((d) => d.outcome === 'delivered' && d.attempts[0]!.status === 202)).toBe(true);
  });

  it('signs with both secrets while one rotates', async () => {
    pd.em.setWebhookSecrets(sub.id, ['whsec-next', 'whsec-current']);
    await pd.send(trigger('wh-rotate'));
    await pd.em.webhooksIdle();
    const [r] = bot.received;
    expect(String(r!.headers['x-pagerduty-signature']).split(',')).toHaveLength(2);
    expect(verified(r!, 'whsec-current')).toBe(true);
    expect(verified(r!, 'whsec-next')).toBe(true);
    expect(verified(r!, 'whsec-other')).toBe(false);
  });

  it('retries a failed delivery with the same X-Webhook-Id, holding later ones back until it lands', async () => {
    bot.answers.push(500, 429);
    await pd.send(trigger('wh-retry'));
    await pd.send({ routing_key: L1, event_action: 'resolve', dedup_key: 'wh-retry' });
    await pd.em.webhooksIdle();
    const ids = bot.received.map((r) => r.headers['x-webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[1]).toBe(ids[2]);
    expect(bot.received.map((r) => JSON.parse(r.body).event.event_type)).toEqual(['incident.triggered', 'incident.triggered', 'incident.triggered', 'incident.resolved']);
    const [first] = pd.em.deliveries({ eventType: 'incident.triggered', subscriptionId: sub.id });
    expect(first!.attempts.map((a) => a.status)).toEqual([500, 429, 202]);
  });

  it('drops a delivery the bot refuses with another 4xx, and gives up after five attempts', async () => {
    bot.answers.push(401, 503, 503, 503, 503, 503);
    await pd.send(trigger('wh-drop'));
    await pd.send({ routing_key: L1, event_action: 'acknowledge', dedup_key: 'wh-drop' });
    await pd.em.webhooksIdle();
    const mine = pd.em.deliveries({ subscriptionId: sub.id });
    expect(mine.map((d) => [d.eventType, d.outcome, d.attempts.length])).toEqual([
      ['incident.triggered', 'dropped', 1],
      ['incident.acknowledged', 'failed', 5],
    ]);
  });

  it('retries when the bot is unreachable', async () => {
    await bot.stop();
    await pd.send(trigger('wh-down'));
    await pd.em.webhooksIdle();
    const [d] = pd.em.deliveries({ subscriptionId: sub.id });
    expect(d!.outcome).toBe('failed');
    expect(d!.attempts.map((a) => a.error)).toEqual(Array(5).fill('ECONNREFUSED'));
    bot = await WebhookReceiver.start();
  });

  it('sends test deliveries: badly signed, unsigned, arbitrary, and a replay of an earlier one', async () => {
    await pd.send(trigger('wh-custom'));
    await pd.em.webhooksIdle();
    const [incident] = pd.em.incidents({ dedupKey: 'wh-custom' });
    const original = bot.received[0]!;

    await pd.em.sendWebhook({ eventType: 'incident.acknowledged', incidentId: incident!.id, signature: 'wrong', subscriptionId: sub.id });
    await pd.em.sendWebhook({ eventType: 'incident.resolved', incidentId: incident!.id, signature: 'missing', subscriptionId: sub.id });
    await pd.em.sendWebhook({ body: '{"event":', signature: { header: 'v1=00' }, subscriptionId: sub.id });
    const replay = await pd.em.replayWebhook(String(original.headers['x-webhook-id']));
    expect(replay.outcome).toBe('delivered');

    const [, wrong, unsigned, garbage, replayed] = bot.received;
    expect(JSON.parse(wrong!.body).event).toMatchObject({ event_type: 'incident.acknowledged', data: { id: incident!.id } });
    expect(verified(wrong!, 'whsec-current')).toBe(false);
    expect(unsigned!.headers['x-pagerduty-signature']).toBeUndefined();
    expect(garbage!.body).toBe('{"event":');
    expect(garbage!.headers['x-pagerduty-signature']).toBe('v1=00');
    expect(replayed!.body).toBe(original.body);
    expect(replayed!.headers['x-webhook-id']).toBe(original.headers['x-webhook-id']);
    expect(verified(replayed!, 'whsec-current')).toBe(true);
  });

  it('gives a custom delivery the retry it asks for, with the X-Webhook-Id it names', async () => {
    await pd.send(trigger('wh-custom-retry'));
    await pd.em.webhooksIdle();
    const [incident] = pd.em.incidents({ dedupKey: 'wh-custom-retry' });
    bot.answers.push(502);
    const d = await pd.em.sendWebhook({ eventType: 'incident.escalated', incidentId: incident!.id, webhookId: 'fixed-id', retry: true, subscriptionId: sub.id });
    expect(d.attempts.map((a) => a.status)).toEqual([502, 202]);
    expect(bot.received.slice(-2).map((r) => r.headers['x-webhook-id'])).toEqual(['fixed-id', 'fixed-id']);
  });
});
