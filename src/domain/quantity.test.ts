import { describe, expect, it } from 'vitest';
import { formatBytes, formatBytesRoundedUp, formatCpu, parseQuantity } from './quantity.js';

describe('quantity', () => {
  it.each([
    ['256Mi', 256 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['500m', 0.5],
    ['2', 2],
    ['1k', 1000],
    ['128M', 128e6],
    ['2e3', 2000],
  ])('parses %s', (q, n) => expect(parseQuantity(q)).toBe(n));

  it('rejects garbage', () => {
    expect(parseQuantity('lots')).toBeUndefined();
    expect(parseQuantity('1Gb')).toBeUndefined();
  });

  it('formats', () => {
    expect(formatBytes(3 * 2 ** 30)).toBe('3Gi');
    expect(formatBytes(768 * 2 ** 20)).toBe('768Mi');
    expect(formatBytesRoundedUp(300.2 * 2 ** 20)).toBe('301Mi');
    expect(formatBytesRoundedUp(2 ** 31)).toBe('2Gi');
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(2)).toBe('2');
  });
});
