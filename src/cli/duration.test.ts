import { describe, expect, it } from 'vitest';
import { durationOption, parseGoDuration } from './duration.js';

describe('Go durations, as kubectl --timeout reads them', () => {
  it.each([
    ['0', 0],
    ['0s', 0],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['2m3.5s', 123_500],
    ['500ms', 500],
    ['.5s', 500],
    ['1500us', 1.5],
    ['1µs', 0.001],
  ])('%s is %d ms', (text, ms) => expect(parseGoDuration(text)).toBe(ms));

  it.each(['', '10', 'm', '1d', '-1s', '+1s', '1 m', '1m ', 's1', '1..5s'])('rejects %j', (text) => expect(parseGoDuration(text)).toBeUndefined());

  it('an option value: whole milliseconds, absent stays absent, a bad one names the option', () => {
    expect(durationOption('timeout', undefined)).toBeUndefined();
    expect(durationOption('timeout', '1500us')).toBe(2);
    expect(() => durationOption('timeout', '10')).toThrow('--timeout: expected a duration such as 90s, 10m or 1h30m (0 waits forever), got "10"');
    expect(() => durationOption('timeout', '1000h')).toThrow('--timeout');
  });
});
