import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/adapters/store/sqlite/store.js';
import { minutes, rollout } from '../fixtures/incident-machine.js';
import { incidentWithOutbox, opening, pager, slack } from './incident-fixtures.js';
import { firstLine, outputOf, spawnChild } from './spawn.js';

const ROUNDS = 50;
const INCIDENTS = 20;
const dir = mkdtempSync(join(tmpdir(), 'medic-incident-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts both children on one fresh file, lets `prepare` fill it, then sets them off at the same instant. */
async function race<T>(mode: 'timers' | 'outbox', count: number, prepare: (store: SqliteStore) => Promise<void>): Promise<T[]> {
  const path = join(dir, `${mode}.db`);
  const children = ['bot-a', 'bot-b'].map((holder) => spawnChild([mode, path, holder, String(count)]));
  const outputs = children.map(outputOf);
  await Promise.all(children.map(firstLine));
  const store = SqliteStore.open(path);
  await prepare(store);
  await store.close();
  const start = Date.now() + 200;
  for (const child of children) child.stdin.end(`go ${start}\n`);
  return (await Promise.all(outputs)).map((lines) => lines.at(-1) as T);
}

describe('two processes sharing one SQLite file, incidents', () => {
  it(`race for the same due timer ${ROUNDS} times: each fires once, in one process`, async () => {
    const [a, b] = await race<{ won: number[] }>('timers', ROUNDS, async (store) => {
      // Incident i's unanswered timer falls due at minutes(10 + i): the time round i claims at.
      for (let i = 0; i < ROUNDS; i++) await store.openOrMergeIncident(opening(`i${i}`, minutes(i), rollout(i + 1)), minutes(i));
    });
    const won = [...a!.won, ...b!.won];
    expect(won).toHaveLength(ROUNDS);
    expect(new Set(won).size).toBe(ROUNDS);
    const store = SqliteStore.open(join(dir, 'timers.db'));
    expect(await store.claimDueTimers({ holder: 'bot-c', now: minutes(24 * 60), leaseMs: 1000 }, 100)).toEqual([]);
    await store.close();
  });

  it(`deliver the outbox of ${INCIDENTS} incidents together: each message once, in order per incident and destination`, async () => {
    const ids: number[] = [];
    const [a, b] = await race<{ delivered: number[]; outOfOrder: number }>('outbox', INCIDENTS, async (store) => {
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
