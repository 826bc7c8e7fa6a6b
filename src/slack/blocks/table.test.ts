import { describe, expect, it } from 'vitest';
import { alignColumns, codeTable } from './table.js';

describe('alignColumns', () => {
  it('pads like kubectl: widest cell plus three spaces, last column unpadded', () => {
    expect(alignColumns([
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      ['api-server-6dc5b6999b-tgcw8', '0/1', 'ImagePullBackOff', '0', '5m'],
      ['api-server-5c9f8d7b6-abcde', '1/1', 'Running', '12', '2d'],
    ])).toEqual([
      'NAME                          READY   STATUS             RESTARTS   AGE',
      'api-server-6dc5b6999b-tgcw8   0/1     ImagePullBackOff   0          5m',
      'api-server-5c9f8d7b6-abcde    1/1     Running            12         2d',
    ]);
  });

  it('measures emoji as one character so columns stay aligned', () => {
    expect(alignColumns([['🚀', 'x'], ['ab', 'y']])).toEqual(['🚀    x', 'ab   y']);
  });

  it('clips absurd cells so one cannot push the table off the screen', () => {
    const [line] = alignColumns([['n'.repeat(500), 'x']]);
    expect(line!.length).toBeLessThan(100);
  });
});

describe('codeTable', () => {
  it('keeps the header and the rows that fit, aligned to the rows kept', () => {
    // Aligned to all rows a line is 22 characters: with the fence (8) two lines fit in 60.
    const rows = [['short', '1'], ['a-much-longer-name', '2'], ['x', '3']];
    const { text, hidden } = codeTable(['NAME', 'N'], rows, 60);
    expect(text).toBe('```\nNAME    N\nshort   1\n```');
    expect(hidden).toBe(2);
  });
});
