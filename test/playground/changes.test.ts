import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../../src/playground/changes.js';

/** The console's long poll: answered by the first change after the version the page has, bursts coalesced. */
describe('ChangeFeed', () => {
  it('answers at once when the page is behind, and with the burst\'s last version after a change', async () => {
    const feed = new ChangeFeed(20);
    feed.bump();
    expect(await feed.wait(0, 5_000)).toBe(1);
    const waiting = feed.wait(1, 5_000);
    feed.bump();
    feed.bump();
    feed.bump();
    expect(await waiting).toBe(4);
  });

  it('answers with the same version when nothing changed in time, and at once once closed', async () => {
    const feed = new ChangeFeed(20);
    expect(await feed.wait(0, 30)).toBe(0);
    const waiting = feed.wait(0, 60_000);
    feed.close();
    expect(await waiting).toBe(0);
    expect(await feed.wait(0, 60_000)).toBe(0);
  });
});
