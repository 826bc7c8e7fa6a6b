import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports.js';
import { minutes } from '../fixtures/incident-machine.js';
import { lease } from './fixtures.js';
import { incidentWithOutbox, pager, slack } from './incident-fixtures.js';

const ids = (ms: { incidentId: string; kind: string }[]) => ms.map((m) => `${m.incidentId}:${m.kind}`);

/** The outbox, within the incident contract (the caller opens and closes the stores). */
export function describeOutboxContract(current: () => Store, connect: () => Promise<Store>): void {
  describe('outbox', () => {
    it('claims the head of each incident and destination only; the next once the head is delivered', async () => {
      const store = current();
      const t = minutes(0);
      await incidentWithOutbox(store, 'a', t, [slack('post-parent', t), pager('trigger', t), slack('post-thread', t), pager('resolve', t)]);
      await incidentWithOutbox(store, 'b', t, [slack('post-parent', t)]);
      const first = await store.claimOutbox(lease('relay-a', minutes(1)), 10);
      expect(ids(first)).toEqual(['a:post-parent', 'a:trigger', 'b:post-parent']);
      expect(await store.claimOutbox(lease('relay-b', minutes(1)), 10)).toEqual([]);
      expect(await store.markOutboxDelivered(first[0]!.id, 'relay-a', minutes(1))).toBe(true);
      expect(ids(await store.claimOutbox(lease('relay-b', minutes(1)), 10))).toEqual(['a:post-thread']);
      expect((await store.listOutbox('a')).map((m) => m.status)).toEqual(['delivered', 'pending', 'pending', 'pending']);
    });

    it('a relay per destination claims its own messages only', async () => {
      const store = current();
      const t = minutes(0);
      await incidentWithOutbox(store, 'a', t, [slack('post-parent', t), pager('trigger', t)]);
      expect(ids(await store.claimOutbox(lease('pd-relay', minutes(1)), 10, 'pagerduty'))).toEqual(['a:trigger']);
      expect(ids(await store.claimOutbox(lease('slack-relay', minutes(1)), 10, 'slack'))).toEqual(['a:post-parent']);
    });

    it('a retried message keeps its place: attempts, back-off and the last error are recorded, and it blocks the next', async () => {
      const store = current();
      const t = minutes(0);
      await incidentWithOutbox(store, 'a', t, [pager('trigger', t), pager('acknowledge', t)]);
      const [head] = await store.claimOutbox(lease('relay-a', minutes(1)), 10);
      expect(await store.retryOutbox(head!.id, 'relay-a', { error: 'HTTP 429 Too Many Requests', nextAttemptAt: minutes(2) })).toBe(true);
      expect(await store.claimOutbox(lease('relay-a', minutes(1.5)), 10)).toEqual([]);
      const [again] = await store.claimOutbox(lease('relay-b', minutes(2)), 10);
      expect(again).toMatchObject({ id: head!.id, kind: 'trigger', attempts: 2, lastError: 'HTTP 429 Too Many Requests', nextAttemptAt: minutes(2), claimedBy: 'relay-b' });
      expect(await store.retryOutbox(head!.id, 'relay-a', { error: 'late', nextAttemptAt: minutes(3) })).toBe(false);
      expect(await store.markOutboxDelivered(head!.id, 'relay-b', minutes(2))).toBe(true);
      expect(await store.markOutboxDelivered(head!.id, 'relay-b', minutes(2))).toBe(false);
      expect(ids(await store.claimOutbox(lease('relay-a', minutes(2)), 10))).toEqual(['a:acknowledge']);
    });

    it('a permanently failed message is given up on and no longer blocks the ones after it', async () => {
      const store = current();
      const t = minutes(0);
      await incidentWithOutbox(store, 'a', t, [pager('trigger', t), pager('resolve', t)]);
      const [head] = await store.claimOutbox(lease('relay-a', minutes(1)), 10);
      expect(await store.failOutbox(head!.id, 'relay-a', { at: minutes(1), error: 'HTTP 400 Invalid routing key' })).toBe(true);
      expect(ids(await store.claimOutbox(lease('relay-a', minutes(1)), 10))).toEqual(['a:resolve']);
      expect((await store.listOutbox('a'))[0]).toMatchObject({ status: 'failed', finishedAt: minutes(1), lastError: 'HTTP 400 Invalid routing key', attempts: 1 });
    });

    it("a crashed relay's claim is taken over once its lease ran out, and the crashed one is fenced off", async () => {
      const store = current();
      await incidentWithOutbox(store, 'a', minutes(0), [slack('post-parent', minutes(0))]);
      const [m] = await store.claimOutbox(lease('relay-a', minutes(1), 10_000), 10);
      expect(await store.claimOutbox(lease('relay-b', minutes(1)), 10)).toEqual([]);
      expect(await store.claimOutbox(lease('relay-b', new Date(minutes(1).getTime() + 10_000)), 10)).toMatchObject([{ id: m!.id, attempts: 2, claimedBy: 'relay-b' }]);
      expect(await store.markOutboxDelivered(m!.id, 'relay-a', minutes(2))).toBe(false);
      expect(await store.failOutbox(m!.id, 'relay-a', { at: minutes(2), error: 'x' })).toBe(false);
    });

    it('concurrent claims over several connections: each message once', async () => {
      const store = current();
      const t = minutes(0);
      for (const id of ['a', 'b', 'c']) await incidentWithOutbox(store, id, t, [slack('post-parent', t), pager('trigger', t)]);
      const conns = [store, await connect(), await connect()];
      const claimed = (await Promise.all([...conns, ...conns].map((s, i) => s.claimOutbox(lease(`relay-${i}`, minutes(1)), 10)))).flat();
      expect(claimed.map((m) => m.id).sort((x, y) => x - y)).toEqual((await Promise.all(['a', 'b', 'c'].map((id) => store.listOutbox(id)))).flat().map((m) => m.id));
    });
  });
}
