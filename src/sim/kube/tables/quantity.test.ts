import { describe, expect, it } from 'vitest';
import { canonicalQuantity } from './quantity.js';

describe('canonicalQuantity', () => {
  it.each([
    ['4Gi', '4Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['512Ki', '512Ki'],
    ['0.5Ki', '512'],
    ['1.1Ki', '1126400m'],
    ['-1Gi', '-1Gi'],
    ['500m', '500m'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    ['0.1m', '100u'],
    ['2000', '2k'],
    ['1000000', '1M'],
    ['20', '20'],
    ['12e6', '12e6'],
    ['1e3', '1e3'],
    ['0', '0'],
    ['0Mi', '0'],
    [10, '10'],
  ])('%s → %s', (stored, shown) => {
    expect(canonicalQuantity(stored)).toBe(shown);
  });

  it('keeps already-canonical input verbatim, as ParseQuantity caches it', () => {
    expect(canonicalQuantity('+5')).toBe('+5');
    expect(canonicalQuantity('010')).toBe('010');
    expect(canonicalQuantity('1E3')).toBe('1E3');
    expect(canonicalQuantity('1.0')).toBe('1');
  });

  it('shows a missing quantity as zero, like an unset resource.Quantity', () => {
    expect(canonicalQuantity(undefined)).toBe('0');
  });

  it('rounds anything finer than a nano-unit up', () => {
    expect(canonicalQuantity('0.0000000001')).toBe('1n');
  });

  it('leaves a string it cannot parse as stored', () => {
    expect(canonicalQuantity('lots')).toBe('lots');
    expect(canonicalQuantity('1e')).toBe('1e');
  });
});
