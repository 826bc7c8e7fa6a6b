import { describe, expect, it } from 'vitest';
import type { AlertNotification, Store } from '../../src/ports.js';
import { minutes } from '../fixtures/incident-machine.js';
import { lease } from './fixtures.js';

const alert = (over: Partial<AlertNotification> = {}): AlertNotification => ({
  groupKey: '{}/{namespace="production"}:{alertname="PodCrashLooping"}',
  fingerprint: 'b2a9c6e1f0d3a4b5',
  status: 'firing',
  startsAt: minutes(0),
  endsAt: minutes(5),
  payload: { labels: { alertname: 'PodCrashLooping', pod: 'api-server-6dc5b6999b-tgcw8' } },
  receivedAt: minutes(1),
  ...over,
});

/** Alert and webhook dedup, within the incident contract (the caller opens and closes the store). */
export function describeIntakeContract(current: () => Store): void {
  describe('alert dedup', () => {
    it('an HA copy, a retry or a repeat notification is a duplicate, even with a later endsAt', async () => {
      const store = current();
      expect(await store.recordAlerts([alert(), alert({ receivedAt: minutes(1.1) })])).toEqual([true, false]);
      expect(await store.recordAlerts([alert({ endsAt: minutes(9), receivedAt: minutes(5), payload: { repeat: true } })])).toEqual([false]);
      expect(await store.claimAlerts(lease('bot-a', minutes(6)), 10)).toEqual([{ ...alert(), seq: expect.any(Number), attempts: 1, claimedBy: 'bot-a', leaseUntil: new Date(minutes(6).getTime() + 30_000) }]);
    });

    it('its resolution, a new firing (new startsAt), another alert or another group is news', async () => {
      const store = current();
      const news = [alert(), alert({ status: 'resolved', endsAt: minutes(8) }), alert({ startsAt: minutes(20) }), alert({ fingerprint: 'other' }), alert({ groupKey: 'another route' })];
      expect(await store.recordAlerts(news)).toEqual([true, true, true, true, true]);
    });

    it("an alert's later notifications wait until its earlier ones are handled; a handled one never returns", async () => {
      const store = current();
      await store.recordAlerts([alert(), alert({ fingerprint: 'other' })]);
      await store.recordAlerts([alert({ status: 'resolved', endsAt: minutes(8), receivedAt: minutes(8) })]);
      const first = await store.claimAlerts(lease('bot-a', minutes(9)), 10);
      expect(first.map((a) => [a.fingerprint, a.status])).toEqual([['b2a9c6e1f0d3a4b5', 'firing'], ['other', 'firing']]);
      expect(await store.claimAlerts(lease('bot-b', minutes(9)), 10)).toEqual([]);
      expect(await store.markAlertHandled(first[0]!.seq, minutes(9))).toBe(true);
      expect(await store.markAlertHandled(first[0]!.seq, minutes(9))).toBe(false);
      expect((await store.claimAlerts(lease('bot-b', minutes(9)), 10)).map((a) => a.status)).toEqual(['resolved']);
      // The unhandled "other" comes back once its claimer's lease ran out.
      expect((await store.claimAlerts(lease('bot-c', minutes(10)), 10)).map((a) => [a.fingerprint, a.attempts])).toEqual([['other', 2], ['b2a9c6e1f0d3a4b5', 2]]);
    });
  });

  describe('webhook delivery dedup', () => {
    it('records an X-Webhook-Id once', async () => {
      const store = current();
      const d = { source: 'pagerduty' as const, id: '01DG8RN1KQ7H9G1Z0XXXXXXXX', receivedAt: minutes(0) };
      expect(await store.recordWebhookDelivery(d)).toBe(true);
      expect(await store.recordWebhookDelivery({ ...d, receivedAt: minutes(1) })).toBe(false);
    });
  });
}
