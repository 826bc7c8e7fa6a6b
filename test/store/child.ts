/**
 * A second Node process for the store tests (run with `node --import tsx`):
 *   open PATH            opens and migrates PATH, prints {ok} or the error's {code, message}
 *   race PATH HOLDER N   opens PATH, prints "ready", reads "go START_MS" from stdin, then claims the
 *                        executions p0…p(N-1), round i at START_MS + i*ROUND_MS, and prints {wins}
 *   timers|outbox PATH HOLDER N   the incident races (incident-child.ts)
 */
import { createInterface } from 'node:readline';
import { SqliteStore } from '../../src/adapters/store/sqlite/store.js';
import { isMedicError } from '../../src/errors.js';
import { raceIncidents } from './incident-child.js';

const ROUND_MS = 15;

const [mode, path = '', holder = '', count = '0'] = process.argv.slice(2);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

if (mode === 'open') {
  try {
    await SqliteStore.open(path).close();
    print({ ok: true });
  } catch (e) {
    print(isMedicError(e) ? { code: e.code, message: e.message } : { message: String(e) });
  }
} else if (mode === 'race') {
  const store = SqliteStore.open(path);
  print('ready');
  const lines = createInterface({ input: process.stdin });
  const go = await new Promise<string>((resolve) => lines.once('line', resolve));
  lines.close();
  const start = Number(go.split(' ')[1]);
  const wins: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    // Both processes spin to the same instant, so each round is a real race for the row.
    while (Date.now() < start + i * ROUND_MS);
    if (await store.claimExecution(`p${i}`, { holder, now: new Date(), leaseMs: 60_000 })) wins.push(i);
  }
  await store.close();
  print({ wins });
} else if (mode === 'timers' || mode === 'outbox') {
  const lines = createInterface({ input: process.stdin });
  const start = new Promise<number>((resolve) => lines.once('line', (go) => resolve(Number(go.split(' ')[1]))));
  await raceIncidents(mode, path, holder, Number(count), start.finally(() => lines.close()), print);
}
