import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/index.js';
import { storeBackends } from './backends.js';
import { apply, approve, at, createProposal } from './fixtures.js';
import { firstLine, outputOf, spawnChild } from './spawn.js';

const ROUNDS = 50;

describe.each(storeBackends())('two processes sharing one $name', (backend) => {
  it(`race to claim the same execution ${ROUNDS} times: exactly one winner each time`, async () => {
    const url = await backend.freshUrl('shared');
    // Both open (and migrate) the fresh store at the same moment.
    const children = ['bot-a', 'bot-b'].map((holder) => spawnChild(['race', url, holder, String(ROUNDS)]));
    const outputs = children.map(outputOf);
    await Promise.all(children.map(firstLine));

    const store = await openStore(url);
    for (let i = 0; i < ROUNDS; i++) await apply(store, await createProposal(store, `p${i}`), approve('U0BOB'), at(10));
    const start = Date.now() + 200;
    for (const child of children) child.stdin.end(`go ${start}\n`);
    const [a, b] = (await Promise.all(outputs)).map((lines) => (lines.at(-1) as { wins: number[] }).wins);

    for (let i = 0; i < ROUNDS; i++) {
      const winners = [a?.includes(i) && 'bot-a', b?.includes(i) && 'bot-b'].filter(Boolean);
      expect(winners, `round ${i}`).toHaveLength(1);
      expect((await store.getExecution(`p${i}`))?.holder).toBe(winners[0]);
    }
    await store.close();
  });
});
