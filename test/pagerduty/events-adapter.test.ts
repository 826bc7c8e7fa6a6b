import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PagerDutyEvents } from '../../src/adapters/pagerduty/events.js';
import { PagerDutyEmulator } from '../../src/sim/pagerduty/emulator.js';

/** The bot's Events v2 adapter over real HTTPS to the emulator, trusting its CA through PAGERDUTY_CA_FILE. */
let pd: PagerDutyEmulator;
let pager: PagerDutyEvents;
let key: string;

beforeAll(async () => {
  pd = await PagerDutyEmulator.start();
  pager = new PagerDutyEvents({ eventsUrl: pd.url, caFile: pd.caFile, timeoutMs: 2_000 });
  key = Object.values(pd.routingKeys)[0]!;
});
afterAll(() => pd?.stop());

const trigger = (dedupKey: string, summary = 'api-server: ImagePullBackOff') =>
  pager.send({ routingKey: key, action: 'trigger', dedupKey, payload: { summary, source: 'default/production', severity: 'critical', component: 'api-server', class: 'IMAGE_TAG_NOT_FOUND' } });

describe('PagerDuty Events v2 adapter', () => {
  it('triggers, acknowledges and resolves one alert by dedup_key', async () => {
    expect(await trigger('inc-1')).toEqual({ outcome: 'delivered', status: 202 });
    expect(await pager.send({ routingKey: key, action: 'acknowledge', dedupKey: 'inc-1' })).toMatchObject({ outcome: 'delivered' });
    expect(await pager.send({ routingKey: key, action: 'resolve', dedupKey: 'inc-1' })).toMatchObject({ outcome: 'delivered' });
    expect(pd.incidents({ dedupKey: 'inc-1' }).map((i) => i.status)).toEqual(['resolved']);
  });

  it('tells a refusal for good (400) from answers worth retrying (5xx, 429, no connection, no answer)', async () => {
    expect(await trigger('inc-2', 'x'.repeat(2000))).toMatchObject({ outcome: 'rejected', status: 400 });
    pd.failNext('enqueue', { kind: 'status', status: 500 }, 1);
    expect(await trigger('inc-3')).toMatchObject({ outcome: 'retry', status: 500 });
    pd.failNext('enqueue', { kind: 'status', status: 503 }, 1);
    expect(await trigger('inc-3')).toMatchObject({ outcome: 'retry' });
    pd.failNext('enqueue', { kind: 'stalled' }, 1);
    expect(await trigger('inc-3')).toMatchObject({ outcome: 'retry', detail: expect.stringMatching(/did not answer/) });
    await pd.refuseConnections();
    expect(await trigger('inc-3')).toMatchObject({ outcome: 'retry', detail: expect.stringMatching(/ECONNREFUSED|ECONNRESET/) });
    await pd.acceptConnections();
    expect(await trigger('inc-3')).toMatchObject({ outcome: 'delivered' });
  });
});
