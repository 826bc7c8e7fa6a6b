import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/index.js';
import type { Store } from '../../src/ports.js';
import { minutes, rollout } from '../fixtures/incident-machine.js';
import { storeBackends, type StoreBackend } from './backends.js';
import { incidentWithOutbox, opening, pager, slack } from './incident-fixtures.js';
import { firstLine, outputOf, spawnChild } from './spawn.js';

const ROUNDS = 50;
const INCIDENTS = 20;

/** Starts both children on one fresh store, lets `prepare` fill it, then sets them off at the same instant. */
async function race<T>(url: string, mode: 'timers' | 'outbox', count: number, prepare: (store: Store) => Promise<void>): Promise<T[]> {
  const children = ['bot-a', 'bot-b'].map((holder) => spawnChild([mode, url, holder, String(count)]));
  const outputs = children.map(outputOf);
  await Promise.all(children.map(firstLine));
  const store = await openStore(url);
  await prepare(store);
  await store.close();
  const start = Date.now() + 200;
  for (const child of children) child.stdin.end(`go ${start}\n`);
  return (await Promise.all(outputs)).map((lines) => lines.at(-1) as T);
}

describe.each(storeBackends())('two processes sharing one $name, incidents', (backend: StoreBackend) => {
  it(`race for the same due timer ${ROUNDS} times: each fires once, in one process`, async () => {
    const url = await backend.freshUrl('timers');
    const [a, b] = await race<{ won: number[] }>(url, 'timers', ROUNDS, async (store) => {
      // Incident i's unanswered timer falls due at minutes(10 + i): the time round i claims at.
      for (let i = 0; i < ROUNDS; i++) await store.openOrMergeIncident(opening(`i${i}`, minutes(i), rollout(i + 1)), minutes(i));
    });
    const won = [...a!.won, ...b!.won];
    expect(won).toHaveLength(ROUNDS);
    expect(new Set(won).size).toBe(ROUNDS);
    const store = await openStore(url);
    expect(await store.claimDueTimers({ holder: 'bot-c', now: minutes(24 * 60), leaseMs: 1000 }, 100)).toEqual([]);
    await store.close();
  });

  it(`deliver the outbox of ${INCIDENTS} incidents together: each message once, in order per incident and destination`, async () => {
    const ids: number[] = [];
    const url = await backend.freshUrl('outbox');
    const [a, b] = await race<{ delivered: number[]; outOfOrder: number }>(url, 'outbox', INCIDENTS, async (store) => {
      const t = minutes(0);
      for (let i = 0; i < INCIDENTS; i++) {
        await incidentWithOutbox(store, `i${i}`, t, [slack('post-parent', t), pager('trigger', t), slack('post-thread', t), slack('update-parent', t), pager('acknowledge', t), pager('resolve', t)]);
        ids.push(...(await store.listOutbox(`i${i}`)).map((m) => m.id));
      }
    });
    expect([a!.outOfOrder, b!.outOfOrder]).toEqual([0, 0]);
    expect([...a!.delivered, ...b!.delivered].sort((x, y) => x - y)).toEqual(ids);
  });
});
