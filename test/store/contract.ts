import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { status } from '../../src/domain/approval.js';
import { SYSTEM_ACTOR } from '../../src/domain/audit.js';
import { MedicError } from '../../src/errors.js';
import type { ProposalRecord, Store } from '../../src/ports.js';
import { apply, approve, at, binding, createProposal, lease, T0 } from './fixtures.js';

/** One fresh, empty database; `open` may be called several times for several connections to it. */
export interface StoreHarness {
  open(): Promise<Store>;
  dispose(): Promise<void>;
}

/** The behaviour every Store must have; run against each implementation with its own factory. */
export function describeStoreContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;
    const stores: Store[] = [];
    const connect = async () => {
      const s = await harness.open();
      stores.push(s);
      return s;
    };
    const reload = async (id: string) => (await store.getProposal(id)) as ProposalRecord;

    beforeEach(async () => {
      harness = await makeStore();
      store = await connect();
    });
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
      await harness.dispose();
    });

    describe('inbox', () => {
      const delivery = (id: string, seconds = 0) => ({ id, kind: 'action' as const, payload: { type: 'block_actions', actions: [{ value: 'p1' }] }, receivedAt: at(seconds) });

      it('records a delivery once, however often it arrives', async () => {
        expect(await store.recordDelivery(delivery('d1'))).toBe(true);
        expect(await store.recordDelivery({ ...delivery('d1'), payload: { other: true } })).toBe(false);
        const claimed = await store.claimUnhandled(lease('bot-a', at(1)), 10);
        expect(claimed).toEqual([{ ...delivery('d1'), attempts: 1, claimedBy: 'bot-a', leaseUntil: at(31) }]);
      });

      it('concurrent claims of one entry from several connections: one winner', async () => {
        const other = await connect();
        await store.recordDelivery(delivery('d1'));
        const results = await Promise.all([store, other, store, other].map((s, i) => s.claimDelivery('d1', lease(`bot-${i}`, at(1)))));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it('a claimed entry comes back when its claimer\'s lease runs out, not before; a handled one never', async () => {
        await store.recordDelivery(delivery('d1'));
        expect(await store.claimDelivery('d1', lease('bot-a', at(1), 10_000))).toBeDefined();
        expect(await store.claimDelivery('d1', lease('bot-b', at(10)))).toBeUndefined();
        const retaken = await store.claimDelivery('d1', lease('bot-b', at(11)));
        expect(retaken).toMatchObject({ claimedBy: 'bot-b', attempts: 2 });
        expect(await store.markHandled('d1', at(12))).toBe(true);
        expect(await store.markHandled('d1', at(13))).toBe(false);
        expect(await store.claimDelivery('d1', lease('bot-c', at(3600)))).toBeUndefined();
        expect(await store.claimUnhandled(lease('bot-c', at(3600)), 10)).toEqual([]);
      });

      it('a live claimer renews its own unhandled entries, so they are not taken over; a dead one\'s are', async () => {
        for (const id of ['d1', 'd2', 'd3']) await store.recordDelivery(delivery(id));
        await store.claimDelivery('d1', lease('bot-a', at(1), 10_000));
        await store.claimDelivery('d2', lease('bot-a', at(1), 10_000));
        await store.claimDelivery('d3', lease('bot-b', at(1), 10_000));
        await store.markHandled('d2', at(2));
        expect(await store.renewDeliveries(lease('bot-a', at(8), 10_000))).toBe(1);
        const taken = await store.claimUnhandled(lease('bot-c', at(12)), 10);
        expect(taken.map((e) => e.id)).toEqual(['d3']);
        expect(await store.claimDelivery('d1', lease('bot-c', at(17)))).toBeUndefined();
        expect(await store.claimDelivery('d1', lease('bot-c', at(18)))).toMatchObject({ claimedBy: 'bot-c' });
      });

      it('after a restart, unhandled entries are claimed oldest first, up to the limit, once', async () => {
        for (const [id, s] of [['d3', 3], ['d1', 1], ['d2', 2], ['d0', 0]] as const) await store.recordDelivery(delivery(id, s));
        await store.markHandled('d0', at(5));
        await store.close();
        store = await connect();
        const first = await store.claimUnhandled(lease('bot-b', at(10)), 2);
        expect(first.map((e) => e.id)).toEqual(['d1', 'd2']);
        const [a, b] = await Promise.all([store.claimUnhandled(lease('bot-b', at(10)), 10), (await connect()).claimUnhandled(lease('bot-c', at(10)), 10)]);
        expect([...(a ?? []), ...(b ?? [])].map((e) => e.id)).toEqual(['d3']);
      });
    });

    describe('proposals', () => {
      it('reads back what was created, at version 1, with its audit', async () => {
        const deployments = [binding('api'), binding('frontend', { targetRevision: 7, targetTemplateHash: 'abc' }), binding('chat')];
        const created = await createProposal(store, 'p1', { deployments, threadTs: '1700000000.000100', params: { toRevisions: { api: 2 } } }, { required: 2 });
        expect(created).toEqual({
          id: 'p1',
          version: 1,
          recordedStatus: 'pending',
          channel: 'C0PROD',
          threadTs: '1700000000.000100',
          cluster: 'prod',
          deployments,
          action: 'rollback',
          params: { toRevisions: { api: 2 } },
          requester: 'U0ALICE',
          createdAt: T0,
          expiresAt: at(15 * 60),
          required: 2,
          fourEyes: true,
          votes: [],
          lifecycle: {},
        });
        expect(await reload('p1')).toEqual(created);
        expect(await store.getProposal('nope')).toBeUndefined();
        expect((await store.listAudit({ cluster: 'prod', namespace: 'production', name: 'frontend' })).map((e) => e.kind)).toEqual(['proposed']);
      });

      it('refuses a second proposal with the same id', async () => {
        await createProposal(store, 'p1');
        await expect(createProposal(store, 'p1')).rejects.toMatchObject({ code: 'CONFLICT' });
        await expect(createProposal(store, 'p1')).rejects.toBeInstanceOf(MedicError);
      });

      it('attaches the card message once', async () => {
        await createProposal(store, 'p1');
        expect(await store.attachProposalMessage('p1', '1700000000.000200')).toBe(true);
        expect(await store.attachProposalMessage('p1', '1700000000.000300')).toBe(false);
        expect((await reload('p1')).messageTs).toBe('1700000000.000200');
      });

      it('lists by deployment, newest first, within its cluster', async () => {
        await createProposal(store, 'old', { createdAt: at(0) });
        await createProposal(store, 'multi', { createdAt: at(60), deployments: [binding('frontend'), binding('api-server')] });
        await createProposal(store, 'elsewhere', { cluster: 'staging', createdAt: at(120) });
        await createProposal(store, 'other', { createdAt: at(180), deployments: [binding('chat')] });
        const ids = (await store.listProposalsByDeployment({ cluster: 'prod', namespace: 'production', name: 'api-server' })).map((p) => p.id);
        expect(ids).toEqual(['multi', 'old']);
      });

      it('a vote is saved with compare-and-set; a stale version loses and changes nothing', async () => {
        const p1 = await createProposal(store, 'p1', {}, { required: 2 });
        expect(await apply(store, p1, approve('U0BOB'), at(10))).toEqual({ won: true, version: 2 });
        expect(await apply(store, p1, approve('U0CAROL'), at(11))).toEqual({ won: false, reason: 'stale' });
        const after = await reload('p1');
        expect(after).toMatchObject({ version: 2, recordedStatus: 'pending', votes: [{ userId: 'U0BOB', verdict: 'approve', at: at(10) }] });
        const audit = await store.listAudit({ cluster: 'prod', namespace: 'production', name: 'api-server' });
        expect(audit.map((e) => [e.kind, e.actor])).toEqual([['proposed', 'U0ALICE'], ['vote', 'U0BOB']]);
        expect(await apply(store, after, approve('U0CAROL'), at(12))).toEqual({ won: true, version: 3 });
        expect(status(await reload('p1'), at(12))).toBe('approved');
      });

      it('concurrent transitions from one version across connections: one winner', async () => {
        const other = await connect();
        const p1 = await createProposal(store, 'p1', {}, { required: 3 });
        const results = await Promise.all(['U0BOB', 'U0CAROL', 'U0DAVE'].map((u, i) => apply(i % 2 ? other : store, p1, approve(u), at(10))));
        expect(results.filter((r) => r.won)).toHaveLength(1);
        expect((await reload('p1')).votes).toHaveLength(1);
      });

      it('one vote per user: the database refuses a second even at the current version', async () => {
        const p1 = await createProposal(store, 'p1', {}, { required: 2 });
        await apply(store, p1, approve('U0BOB'), at(10));
        const current = await reload('p1');
        const change = { recordedStatus: 'pending' as const, lifecycle: {}, vote: { userId: 'U0BOB', verdict: 'reject' as const, at: at(11) }, audit: [] };
        expect(await store.transitionProposal('p1', current.version, change)).toEqual({ won: false, reason: 'duplicate-vote' });
        expect(await reload('p1')).toEqual(current);
      });

      it('keeps the lifecycle: supersession, expiry, execution and outcome', async () => {
        const voided = await createProposal(store, 'voided');
        await apply(store, voided, { kind: 'supersede', actor: SYSTEM_ACTOR, cause: 'deployment-changed', detail: 'generation 4 → 5' }, at(5));
        expect(await reload('voided')).toMatchObject({ recordedStatus: 'superseded', lifecycle: { superseded: { at: at(5), actor: SYSTEM_ACTOR, cause: 'deployment-changed', detail: 'generation 4 → 5' } } });

        const stale = await createProposal(store, 'stale');
        await apply(store, stale, { kind: 'expire' }, at(900));
        expect(await reload('stale')).toMatchObject({ recordedStatus: 'expired', lifecycle: { expiryRecordedAt: at(900) } });

        await apply(store, await createProposal(store, 'ran', { createdAt: at(1) }), approve('U0BOB'), at(10));
        await apply(store, await reload('ran'), { kind: 'start' }, at(11));
        await apply(store, await reload('ran'), { kind: 'finish', outcome: 'failed', detail: 'OOMKilled again' }, at(90));
        expect((await reload('ran')).lifecycle).toEqual({ execution: { startedAt: at(11), finished: { at: at(90), outcome: 'failed', detail: 'OOMKilled again' } } });
        expect((await store.listProposalsInStatus(['failed', 'expired'])).map((p) => p.id)).toEqual(['stale', 'ran']);
        expect(await store.listProposalsInStatus([])).toEqual([]);
      });
    });

    describe('executions', () => {
      const approved = async (id: string) => {
        await apply(store, await createProposal(store, id), approve('U0BOB'), at(10));
        return reload(id);
      };

      it('are claimed once, whoever races', async () => {
        await approved('p1');
        const other = await connect();
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).claimExecution('p1', lease(`bot-${i}`, at(11)))));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.claimExecution('p1', lease('late', at(12)))).toBe(false);
        await expect(store.claimExecution('missing', lease('bot', at(12)))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      });

      it('only of an approved proposal', async () => {
        await createProposal(store, 'pending');
        expect(await store.claimExecution('pending', lease('bot', at(11)))).toBe(false);
        expect(await store.getExecution('pending')).toBeUndefined();
      });

      it('keep per-deployment results and verification state, by the holder only', async () => {
        await approved('p1');
        await store.claimExecution('p1', lease('bot-a', at(11)));
        const api = { namespace: 'production', name: 'api-server' };
        expect(await store.recordDeploymentResult('p1', 'bot-a', api, { outcome: 'patched', detail: { revision: 3 }, at: at(12) })).toBe(true);
        expect(await store.saveVerification('p1', 'bot-a', api, { state: 'running', detail: { settleUntil: at(72).toISOString() }, at: at(12) })).toBe(true);
        expect(await store.saveVerification('p1', 'bot-a', api, { state: 'verified', detail: {}, at: at(72) })).toBe(true);
        expect(await store.recordDeploymentResult('p1', 'bot-b', api, { outcome: 'failed', detail: {}, at: at(13) })).toBe(false);
        expect(await store.getExecution('p1')).toEqual({
          proposalId: 'p1',
          holder: 'bot-a',
          claimedAt: at(11),
          leaseUntil: at(41),
          deployments: [{ ...api, result: { outcome: 'patched', detail: { revision: 3 }, at: at(12) }, verification: { state: 'verified', detail: {}, at: at(72) } }],
        });
        expect(await store.getExecution('nope')).toBeUndefined();
      });

      it('a crashed holder\'s unfinished execution is taken over after its lease, and the old holder is fenced off', async () => {
        await approved('p1');
        await store.claimExecution('p1', lease('bot-a', at(11)));
        await apply(store, await reload('p1'), { kind: 'start' }, at(11));
        expect((await store.listUnfinishedExecutions()).map((e) => e.proposalId)).toEqual(['p1']);
        expect(await store.leaseExecution('p1', lease('bot-b', at(30)))).toBe(false);
        expect(await store.leaseExecution('p1', lease('bot-a', at(30)))).toBe(true);
        const [b, c] = await Promise.all([store.leaseExecution('p1', lease('bot-b', at(60))), (await connect()).leaseExecution('p1', lease('bot-c', at(60)))]);
        expect([b, c].filter(Boolean)).toHaveLength(1);
        expect(await store.saveVerification('p1', 'bot-a', { namespace: 'production', name: 'api-server' }, { state: 'failed', detail: {}, at: at(61) })).toBe(false);
        await apply(store, await reload('p1'), { kind: 'finish', outcome: 'succeeded', detail: 'verified' }, at(120));
        expect(await store.listUnfinishedExecutions()).toEqual([]);
        expect(await store.leaseExecution('p1', lease('bot-d', at(3600)))).toBe(false);
      });
    });

    describe('audit', () => {
      const where = { cluster: 'prod', namespace: 'production' };

      it('lists a deployment\'s entries in time order, including those of its proposals', async () => {
        await createProposal(store, 'multi', { deployments: [binding('api-server'), binding('frontend')], createdAt: at(20) });
        await store.appendAudit([
          { ...where, deployment: 'api-server', at: at(30), actor: SYSTEM_ACTOR, kind: 'deployment-result', detail: { n: 3 }, proposalId: 'multi' },
          { ...where, deployment: 'api-server', at: at(10), actor: 'U0ALICE', kind: 'verification', detail: { n: 1 } },
          { ...where, deployment: 'frontend', at: at(30), actor: SYSTEM_ACTOR, kind: 'deployment-result', detail: { n: 4 }, proposalId: 'multi' },
          { ...where, deployment: 'api-server', at: at(30), actor: SYSTEM_ACTOR, kind: 'verification', detail: { n: 5 }, proposalId: 'multi' },
          { cluster: 'staging', namespace: 'production', deployment: 'api-server', at: at(15), actor: 'U0BOB', kind: 'vote', detail: {} },
        ]);
        const api = await store.listAudit({ ...where, name: 'api-server' });
        expect(api.map((e) => [e.kind, e.at.getTime() - T0.getTime(), e.detail])).toEqual([
          ['verification', 10_000, { n: 1 }],
          ['proposed', 20_000, { required: 1, fourEyes: true, expiresAt: '2025-03-04T10:42:20.000Z' }],
          ['deployment-result', 30_000, { n: 3 }],
          ['verification', 30_000, { n: 5 }],
        ]);
        expect(api[2]).toEqual({ ...where, deployment: 'api-server', seq: api[2]?.seq, at: at(30), actor: SYSTEM_ACTOR, kind: 'deployment-result', detail: { n: 3 }, proposalId: 'multi' });
        expect((await store.listAudit({ ...where, name: 'frontend' })).map((e) => e.kind)).toEqual(['proposed', 'deployment-result']);
        expect(await store.listAudit({ ...where, name: 'chat' })).toEqual([]);
      });
    });
  });
}
