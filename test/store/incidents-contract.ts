import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transition } from '../../src/domain/incident.js';
import type { Store } from '../../src/ports.js';
import { alertDetection, minutes, rollout } from '../fixtures/incident-machine.js';
import type { StoreHarness } from './contract.js';
import { lease } from './fixtures.js';
import { applyIncident, opening } from './incident-fixtures.js';
import { describeIntakeContract } from './intake-contract.js';
import { describeOutboxContract } from './outbox-contract.js';

/** The incident half of the Store contract; run against each implementation with its own factory. */
export function describeIncidentStoreContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`Store contract, incidents: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;
    const stores: Store[] = [];
    const connect = async () => {
      const s = await harness.open();
      stores.push(s);
      return s;
    };
    const reload = async (id: string) => (await store.getIncident(id))!;

    beforeEach(async () => {
      harness = await makeStore();
      store = await connect();
    });
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
      await harness.dispose();
    });

    describe('open or merge', () => {
      it('creates the incident at version 1 with its timeline, outbox and timer, and reads back its facts', async () => {
        const o = opening('i1', minutes(0));
        const { created, incident } = await store.openOrMergeIncident(o, minutes(0));
        expect(created).toBe(true);
        expect(incident).toEqual({ ...o.incident, version: 1, phase: 'investigating' });
        expect((await store.listTimeline('i1')).map((e) => [e.kind, e.actor, e.at])).toEqual([['opened', 'deploy-medic', minutes(0)]]);
        expect((await store.listOutbox('i1')).map((m) => [m.destination, m.kind, m.status, m.attempts])).toEqual([['slack', 'post-parent', 'pending', 0]]);
        expect(await store.claimDueTimers(lease('bot-a', minutes(10)), 10)).toMatchObject([{ incidentId: 'i1', kind: 'unanswered', dueAt: minutes(10) }]);
      });

      it('1,000 duplicate detections at once, over two connections: one incident, one opening written', async () => {
        const other = await connect();
        const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => (i % 2 ? other : store).openOrMergeIncident(opening(`i${i}`, minutes(0)), minutes(0))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const ids = new Set(results.map((r) => r.incident.id));
        expect(ids.size).toBe(1);
        const [id] = [...ids] as [string];
        expect(await store.listTimeline(id)).toHaveLength(1);
        expect(await store.listOutbox(id)).toHaveLength(1);
        expect(await store.listOpenIncidents()).toHaveLength(1);
      });

      it('a merge returns the live incident as it is now and writes nothing', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        await applyIncident(store, await reload('i1'), { kind: 'detected', detection: alertDetection('a1') }, minutes(1));
        const merged = await store.openOrMergeIncident(opening('i2', minutes(2), rollout(5), alertDetection('a2')), minutes(2));
        expect(merged).toMatchObject({ created: false, incident: { id: 'i1', version: 2, sources: ['watcher', 'alertmanager'] } });
        expect(await store.getIncident('i2')).toBeUndefined();
        expect(await store.listTimeline('i1')).toHaveLength(2);
      });

      it('another revision, deployment or an unmapped alert group is another incident; links are written by the creator only', async () => {
        await store.openOrMergeIncident(opening('i5', minutes(0)), minutes(0));
        const six = opening('i6', minutes(1), rollout(6), undefined, [{ to: 'i5', kind: 'follows' }]);
        expect((await store.openOrMergeIncident(six, minutes(1))).created).toBe(true);
        expect((await store.openOrMergeIncident({ ...six, incident: { ...six.incident, id: 'i6b' }, links: [{ to: 'i6', kind: 'follows' }] }, minutes(1))).created).toBe(false);
        expect((await store.openOrMergeIncident(opening('g1', minutes(2), { kind: 'alert-group', groupKey: '{}:{alertname="NodeDown"}' }), minutes(2))).created).toBe(true);
        expect(await store.listIncidentLinks('i5')).toEqual([{ from: 'i6', to: 'i5', kind: 'follows', at: minutes(1) }]);
        expect(await store.listIncidentLinks('i6')).toEqual([{ from: 'i6', to: 'i5', kind: 'follows', at: minutes(1) }]);
        const target = { cluster: 'prod', namespace: 'production', name: 'api-server' };
        expect((await store.listIncidentsByDeployment(target)).map((i) => i.id)).toEqual(['i6', 'i5']);
        expect((await store.listOpenIncidents()).map((i) => i.id)).toEqual(['i5', 'i6', 'g1']);
      });

      it('a resolved incident absorbs (reopens) within its grace period; after it, the same rollout opens a new incident', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        await applyIncident(store, await reload('i1'), { kind: 'recovered', detail: 'ok' }, minutes(1));
        expect(await store.listOpenIncidents()).toEqual([]);
        expect((await store.findLiveIncident(opening('x', minutes(0)).incident.fingerprint, minutes(30)))?.id).toBe('i1');
        expect(await store.openOrMergeIncident(opening('i2', minutes(30)), minutes(30))).toMatchObject({ created: false, incident: { id: 'i1', phase: 'resolved' } });
        expect(await store.openOrMergeIncident(opening('i3', minutes(31)), minutes(31))).toMatchObject({ created: true, incident: { id: 'i3' } });
        expect((await reload('i1')).phase).toBe('resolved');
      });

      it('closing an incident releases its fingerprint at once', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        await applyIncident(store, await reload('i1'), { kind: 'recovered', detail: 'ok' }, minutes(1));
        await applyIncident(store, await reload('i1'), { kind: 'timer-due', timer: 'grace-end', dueAt: minutes(31) }, minutes(31));
        expect((await reload('i1')).closedAt).toEqual(minutes(31));
        expect((await store.openOrMergeIncident(opening('i2', minutes(5)), minutes(5))).created).toBe(true);
      });
    });

    describe('transitions', () => {
      it('compare-and-set: of two changes from one version, one wins; the loser writes nothing', async () => {
        const { incident } = await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        const other = await connect();
        const [a, b] = await Promise.all([
          applyIncident(store, incident, { kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, minutes(1)),
          applyIncident(other, incident, { kind: 'escalated', by: 'U0ALICE' }, minutes(1)),
        ]);
        expect([a, b].filter((r) => r.won)).toEqual([{ won: true, version: 2 }]);
        expect([a, b].filter((r) => !r.won)).toEqual([{ won: false, reason: 'stale' }]);
        expect(await store.listTimeline('i1')).toHaveLength(2);
        expect((await reload('i1')).version).toBe(2);
      });

      it('saves the facts, phase, timeline, outbox and timers of the change together', async () => {
        const { incident } = await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        await applyIncident(store, incident, { kind: 'fix-proposed', proposalId: 'p1', by: 'U0ALICE' }, minutes(1));
        const r = await reload('i1');
        expect(r).toMatchObject({ phase: 'mitigating', fix: { proposalId: 'p1', stage: 'proposed', at: minutes(1) } });
        await applyIncident(store, r, { kind: 'recovered', detail: 'ok' }, minutes(2));
        expect((await store.listTimeline('i1')).map((e) => e.kind)).toEqual(['opened', 'fix-proposed', 'recovered', 'resolved']);
        expect((await store.listOutbox('i1')).map((m) => m.kind)).toEqual(['post-parent', 'update-parent', 'post-thread', 'update-parent']);
        expect((await reload('i1')).resolved).toEqual({ at: minutes(2), by: 'deploy-medic', reason: 'recovered', graceUntil: minutes(32) });
      });

      it('reads back every fact as saved, dates as dates', async () => {
        const { incident } = await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        const steps = [
          [{ kind: 'escalated', by: 'U0ALICE' }, minutes(1)],
          [{ kind: 'acknowledged', by: 'U0BOB', via: 'slack' }, minutes(2)],
          [{ kind: 'fix-proposed', proposalId: 'p1', by: 'U0BOB' }, minutes(3)],
          [{ kind: 'recovered', detail: 'ok' }, minutes(4)],
          [{ kind: 'timer-due', timer: 'grace-end', dueAt: minutes(34) }, minutes(34)],
        ] as const;
        let record = incident;
        for (const [event, now] of steps) {
          const r = transition(record, event, now);
          if (!r.accepted) throw new Error(r.reason);
          await applyIncident(store, record, event, now);
          record = await reload('i1');
          expect(record).toEqual({ ...r.state, id: 'i1', fingerprint: incident.fingerprint, channel: 'C0INCIDENTS', version: record.version, phase: r.phase });
        }
        expect(record).toMatchObject({ acknowledged: { at: minutes(2) }, pages: [], closedAt: minutes(34), version: 6 });
      });

      it('a change answering a timer fires it, only while its claimer holds it', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        const [timer] = await store.claimDueTimers(lease('bot-a', minutes(10)), 10);
        const event = { kind: 'timer-due', timer: 'unanswered', dueAt: minutes(10) } as const;
        expect(await applyIncident(store, await reload('i1'), event, minutes(10), { firedTimer: { id: timer!.id, holder: 'bot-b', at: minutes(10) } })).toEqual({ won: false, reason: 'timer-lost' });
        expect((await reload('i1')).version).toBe(1);
        expect(await applyIncident(store, await reload('i1'), event, minutes(10), { firedTimer: { id: timer!.id, holder: 'bot-a', at: minutes(10) } })).toEqual({ won: true, version: 2 });
        expect(await store.markTimerFired(timer!.id, 'bot-a', minutes(11))).toBe(false);
        expect(await store.claimDueTimers(lease('bot-b', minutes(60)), 10)).toEqual([]);
      });

      it('a change from a webhook delivery records it; a replay changes nothing', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        const delivery = { source: 'pagerduty' as const, id: 'wh-1', receivedAt: minutes(1) };
        const ack = { kind: 'pager-update', what: 'annotated', by: 'pagerduty', detail: 'on it' } as const;
        expect(await applyIncident(store, await reload('i1'), ack, minutes(1), { delivery })).toEqual({ won: true, version: 2 });
        expect(await applyIncident(store, await reload('i1'), ack, minutes(2), { delivery })).toEqual({ won: false, reason: 'duplicate-delivery' });
        expect(await store.listTimeline('i1')).toHaveLength(2);
        expect(await store.recordWebhookDelivery(delivery)).toBe(false);
        expect(await store.recordWebhookDelivery({ ...delivery, id: 'wh-2' })).toBe(true);
      });

      it('records the parent message once', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        expect(await store.attachIncidentMessage('i1', '1700000000.000100')).toBe(true);
        expect(await store.attachIncidentMessage('i1', '1700000000.000200')).toBe(false);
        expect((await reload('i1')).parentTs).toBe('1700000000.000100');
      });
    });

    describe('timers', () => {
      it('only due timers are claimed, earliest first; a claim holds until its lease runs out; a fired one never returns', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        await store.openOrMergeIncident(opening('i2', minutes(-5), rollout(9)), minutes(-5));
        expect(await store.claimDueTimers(lease('bot-a', minutes(9), 120_000), 10)).toMatchObject([{ incidentId: 'i2', dueAt: minutes(5) }]);
        const [t1] = await store.claimDueTimers(lease('bot-a', minutes(10), 60_000), 10);
        expect(t1).toMatchObject({ incidentId: 'i1', attempts: 1, claimedBy: 'bot-a', leaseUntil: minutes(11) });
        expect(await store.claimDueTimers(lease('bot-b', minutes(10.5)), 10)).toEqual([]);
        const retaken = await store.claimDueTimers(lease('bot-b', minutes(12)), 10);
        expect(retaken.map((t) => [t.incidentId, t.claimedBy])).toEqual([['i2', 'bot-b'], ['i1', 'bot-b']]);
        expect(await store.markTimerFired(t1!.id, 'bot-a', minutes(12))).toBe(false);
        expect(await store.markTimerFired(t1!.id, 'bot-b', minutes(12))).toBe(true);
        expect((await store.claimDueTimers(lease('bot-c', minutes(99)), 10)).map((t) => t.incidentId)).toEqual(['i2']);
      });

      it('the same timer scheduled twice is one timer', async () => {
        const o = opening('i1', minutes(0));
        await store.openOrMergeIncident({ ...o, timers: [...o.timers, ...o.timers] }, minutes(0));
        expect(await store.claimDueTimers(lease('bot-a', minutes(10)), 10)).toHaveLength(1);
      });

      it('concurrent claims of one due timer from several connections: one winner', async () => {
        await store.openOrMergeIncident(opening('i1', minutes(0)), minutes(0));
        const others = [await connect(), await connect()];
        const results = await Promise.all([store, ...others, store].map((s, i) => s.claimDueTimers(lease(`bot-${i}`, minutes(10)), 10)));
        expect(results.flat()).toHaveLength(1);
      });
    });

    describe('after a restart (the file reopened)', () => {
      it('incidents, timeline, links, alerts, deliveries, timers and the outbox are all still there', async () => {
        await store.openOrMergeIncident(opening('i5', minutes(0)), minutes(0));
        await store.openOrMergeIncident(opening('i6', minutes(1), rollout(6), undefined, [{ to: 'i5', kind: 'follows' }]), minutes(1));
        await store.attachIncidentMessage('i5', '1700000000.000100');
        await store.recordAlerts([{ groupKey: 'g', fingerprint: 'f', status: 'firing', startsAt: minutes(0), payload: { labels: {} }, receivedAt: minutes(0) }]);
        await store.recordWebhookDelivery({ source: 'pagerduty', id: 'wh-1', receivedAt: minutes(0) });
        const before = { incident: await reload('i5'), timeline: await store.listTimeline('i5'), outbox: await store.listOutbox('i6') };
        await store.close();
        store = await connect();
        expect({ incident: await reload('i5'), timeline: await store.listTimeline('i5'), outbox: await store.listOutbox('i6') }).toEqual(before);
        expect(await store.listIncidentLinks('i5')).toHaveLength(1);
        expect(await store.recordWebhookDelivery({ source: 'pagerduty', id: 'wh-1', receivedAt: minutes(2) })).toBe(false);
        expect(await store.claimAlerts(lease('bot-a', minutes(2)), 10)).toHaveLength(1);
        expect(await store.claimDueTimers(lease('bot-a', minutes(11)), 10)).toHaveLength(2);
        expect((await store.claimOutbox(lease('bot-a', minutes(2)), 10)).map((m) => m.incidentId)).toEqual(['i5', 'i6']);
      });
    });

    describeIntakeContract(() => store);
    describeOutboxContract(() => store, connect);
  });
}
