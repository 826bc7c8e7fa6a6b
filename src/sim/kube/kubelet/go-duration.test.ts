import { describe, expect, it } from 'vitest';
import { goDuration } from './go-duration.js';

describe('goDuration', () => {
  it.each([
    [10_000, '10s'],
    [80_000, '1m20s'],
    [160_000, '2m40s'],
    [300_000, '5m0s'],
    [1234, '1.234s'],
    [1500, '1.5s'],
    [512, '512ms'],
    [3_723_000, '1h2m3s'],
  ])('formats %i ms as %s', (ms, text) => expect(goDuration(ms)).toBe(text));
});
