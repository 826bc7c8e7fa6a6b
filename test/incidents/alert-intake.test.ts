import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerWebhook } from '../../src/domain/alertmanager.js';
import { incidentFingerprint } from '../../src/domain/incident.js';
import { incidentWorld, type IncidentWorld } from './world.js';

/**
 * Alertmanager's notifications are persisted before the 200 and handled after it: a process that
 * dies in between (or while handling) leaves its claim to run out, and the next claimer opens the
 * incident, once.
 */
let w: IncidentWorld;
beforeEach(async () => void (w = await incidentWorld({ incidents: { channel: 'C0INCIDENTS' } })));
afterEach(() => w.close());

const webhook = (status: 'firing' | 'resolved'): AlertmanagerWebhook => ({
  version: '4',
  groupKey: '{}:{alertname="NodeDiskFull"}',
  truncatedAlerts: 0,
  status,
  receiver: 'deploy-medic',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts: [{ status, labels: { alertname: 'NodeDiskFull' }, annotations: {}, startsAt: '2024-05-01T02:55:00Z', endsAt: status === 'resolved' ? '2024-05-01T03:10:00Z' : '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: 'fp-disk' }],
});
const noRollout = async () => undefined;

describe('alert intake', () => {
  it('an alert claimed by a process that died is handled by the next claimer once its lease ran out', async () => {
    await w.incidents.recordAlerts(webhook('firing'));
    await w.incidents.recordAlerts(webhook('firing'));
    expect(await w.store.claimAlerts({ holder: 'dead-process', now: w.clock.now(), leaseMs: 30_000 }, 100)).toHaveLength(1);
    await w.incidents.handleAlerts(noRollout, 'next-process');
    expect(await w.store.listOpenIncidents()).toEqual([]);
    w.clock.advance(31_000);
    await w.incidents.handleAlerts(noRollout, 'next-process');
    await w.incidents.handleAlerts(noRollout, 'next-process');
    const [incident, ...more] = await w.store.listOpenIncidents();
    expect(more).toEqual([]);
    expect(incident!.firingAlerts).toEqual(['fp-disk']);
  });

  it('a resolved notification waits for the firing one it ends, and then resolves the incident', async () => {
    await w.incidents.recordAlerts(webhook('firing'));
    await w.store.claimAlerts({ holder: 'dead-process', now: w.clock.now(), leaseMs: 30_000 }, 100);
    await w.incidents.recordAlerts(webhook('resolved'));
    await w.incidents.handleAlerts(noRollout, 'next-process');
    expect(await w.store.claimAlerts({ holder: 'probe', now: w.clock.now(), leaseMs: 1 }, 100)).toEqual([]);
    w.clock.advance(31_000);
    await w.incidents.handleAlerts(noRollout, 'next-process');
    expect(await w.store.listOpenIncidents()).toEqual([]);
    const incident = (await w.store.findLiveIncident(incidentFingerprint({ kind: 'alert-group', groupKey: webhook('firing').groupKey }), w.clock.now()))!;
    expect((await w.store.listTimeline(incident.id)).map((e) => e.kind)).toEqual(['opened', 'alert-resolved', 'resolved']);
  });
});
