/**
 * A second Node process for the store tests (run with `node --import tsx`):
 *   open PATH            opens and migrates the SQLite file PATH, prints {ok} or the error's {code, message}
 *   race URL HOLDER N    opens the store at URL (sqlite:// or postgres://), prints "ready", reads "go START_MS"
 *                        from stdin, then claims the executions p0…p(N-1), round i at START_MS + i*ROUND_MS,
 *                        and prints {wins}
 *   timers|outbox URL HOLDER N   the incident races (incident-child.ts)
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../src/adapters/store/index.js';
import { SqliteStore } from '../../src/adapters/store/sqlite/store.js';
import { isMedicError } from '../../src/errors.js';
import { raceIncidents } from './incident-child.js';

const ROUND_MS = 15;

const [mode, target = '', holder = '', count = '0'] = process.argv.slice(2);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

if (mode === 'open') {
  try {
    await SqliteStore.open(target).close();
    print({ ok: true });
  } catch (e) {
    print(isMedicError(e) ? { code: e.code, message: e.message } : { message: String(e) });
  }
} else if (mode === 'race') {
  const store = await openStore(target);
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
  await raceIncidents(mode, target, holder, Number(count), start.finally(() => lines.close()), print);
}
