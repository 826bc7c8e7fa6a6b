/**
 * The incident races of child.ts, in a second Node process:
 *   timers URL HOLDER N    claims the due timers round by round (round i at START_MS + i*ROUND_MS, at the
 *                          simulated time timer i falls due), fires what it won, prints {won: [timer id…]}
 *   outbox URL HOLDER N    claims and delivers outbox messages until all N incidents' messages are delivered,
 *                          checking at each claim that every earlier message of its stream is done;
 *                          prints {delivered: [message id…], outOfOrder}
 */
import { openStore } from '../../src/adapters/store/index.js';
import { minutes } from '../fixtures/incident-machine.js';

const ROUND_MS = 15;
export const TIMER_DUE = (i: number) => minutes(10 + i);
export const OUTBOX_NOW = minutes(1);

export async function raceIncidents(mode: 'timers' | 'outbox', url: string, holder: string, count: number, start: Promise<number>, print: (v: unknown) => void): Promise<void> {
  const store = await openStore(url);
  print('ready');
  const startMs = await start;
  if (mode === 'timers') {
    const won: number[] = [];
    for (let i = 0; i < count; i++) {
      // Both processes spin to the same instant, so each round is a real race for the row.
      while (Date.now() < startMs + i * ROUND_MS);
      for (const t of await store.claimDueTimers({ holder, now: TIMER_DUE(i), leaseMs: 3_600_000 }, 10)) {
        if (await store.markTimerFired(t.id, holder, TIMER_DUE(i))) won.push(t.id);
      }
    }
    print({ won });
  } else {
    while (Date.now() < startMs);
    const delivered: number[] = [];
    let outOfOrder = 0;
    const ids = Array.from({ length: count }, (_, i) => `i${i}`);
    for (;;) {
      const claimed = await store.claimOutbox({ holder, now: OUTBOX_NOW, leaseMs: 3_600_000 }, 4);
      if (claimed.length === 0) {
        const all = (await Promise.all(ids.map((id) => store.listOutbox(id)))).flat();
        if (all.every((m) => m.status === 'delivered')) break;
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      for (const m of claimed) {
        const stream = (await store.listOutbox(m.incidentId)).filter((o) => o.destination === m.destination && o.id < m.id);
        if (stream.some((o) => o.status === 'pending')) outOfOrder++;
        if (await store.markOutboxDelivered(m.id, holder, OUTBOX_NOW)) delivered.push(m.id);
      }
    }
    print({ delivered, outOfOrder });
  }
  await store.close();
}
