import { describe, expect, it } from 'vitest';
import { humanDuration, shortHumanDuration, translateMicroTimestampSince, translateTimestampSince } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;
// Go's smallest Duration step, so "-2s + 1ns" lands just inside the skew tolerance.
const NS = 1e-6;

describe('humanDuration', () => {
  // The boundary table from apimachinery's duration_test.go.
  it.each([
    [-2 * S, '<invalid>'],
    [-2 * S + NS, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [S, '1s'],
    [70 * S, '70s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + S, '2m1s'],
    [190 * S, '3m10s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + S, '10m'],
    [70 * M, '70m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + M, '3h1m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [8 * H + 59 * M, '8h'],
    [47 * H, '47h'],
    [2 * D - 1, '47h'],
    [2 * D, '2d'],
    [49 * H, '2d1h'],
    [51 * H, '2d3h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [8 * D + 23 * H, '8d'],
    [367 * D, '367d'],
    [2 * Y - 1, '729d'],
    [2 * Y, '2y'],
    [2 * Y + D - 1, '2y'],
    [2 * Y + D, '2y1d'],
    [2 * Y + 25 * H, '2y1d'],
    [7 * Y, '7y'],
    [8 * Y - 1, '7y364d'],
    [8 * Y, '8y'],
    [8 * Y + 364 * D, '8y'],
    [9 * Y, '9y'],
  ])('%d ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('shortHumanDuration', () => {
  it.each([
    [-2 * S, '<invalid>'],
    [-2 * S + NS, '0s'],
    [0, '0s'],
    [S - 1, '0s'],
    [S, '1s'],
    [2 * S - 1, '1s'],
    [M - 1, '59s'],
    [M, '1m'],
    [2 * M - 1, '1m'],
    [H - 1, '59m'],
    [H, '1h'],
    [2 * H - 1, '1h'],
    [D - 1, '23h'],
    [D, '1d'],
    [2 * D - 1, '1d'],
    [Y - 1, '364d'],
    [Y, '1y'],
    [2 * Y - 1, '1y'],
    [2 * Y, '2y'],
  ])('%d ms → %s', (ms, want) => {
    expect(shortHumanDuration(ms)).toBe(want);
  });
});

describe('translateTimestampSince', () => {
  const now = new Date('2024-05-01T12:00:00.400Z');

  it('is "<unknown>" for a missing or zero timestamp', () => {
    expect(translateTimestampSince(undefined, now)).toBe('<unknown>');
    expect(translateTimestampSince(null, now)).toBe('<unknown>');
    expect(translateTimestampSince('', now)).toBe('<unknown>');
    expect(translateTimestampSince('0001-01-01T00:00:00Z', now)).toBe('<unknown>');
  });

  it('ages a timestamp against the given clock', () => {
    expect(translateTimestampSince('2024-05-01T11:56:48Z', now)).toBe('3m12s');
    expect(translateTimestampSince('2024-04-29T09:00:00Z', now)).toBe('2d3h');
    expect(translateTimestampSince('2024-05-01T13:00:00+01:00', now)).toBe('0s');
  });

  it('drops the sub-second part of a metav1.Time, as the apiserver stores whole seconds', () => {
    // 11:58:00.900 is stored as 11:58:00, which is exactly 2m (not 119s) before now.
    expect(translateTimestampSince('2024-05-01T11:58:00.900Z', now)).toBe('2m');
    expect(translateMicroTimestampSince('2024-05-01T11:58:00.900000Z', now)).toBe('119s');
  });

  it('reports timestamps more than a second ahead as invalid', () => {
    expect(translateTimestampSince('2024-05-01T12:00:03Z', now)).toBe('<invalid>');
  });
});
