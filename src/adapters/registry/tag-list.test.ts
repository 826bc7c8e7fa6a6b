import { describe, expect, it } from 'vitest';
import { nextPage } from './tag-list.js';

describe('nextPage', () => {
  const base = new URL('https://r.example/v2/app/tags/list?n=2');
  it('resolves a relative rel="next" link against the request', () => {
    expect(String(nextPage('</v2/app/tags/list?last=b&n=2>; rel="next"', base))).toBe('https://r.example/v2/app/tags/list?last=b&n=2');
    expect(String(nextPage('<https://r.example/p1>; rel="prev", <https://r.example/p3>; rel=next', base))).toBe('https://r.example/p3');
  });

  it('finds nothing without a next link', () => {
    expect(nextPage('', base)).toBeUndefined();
    expect(nextPage('<https://r.example/p1>; rel="prev"', base)).toBeUndefined();
  });
});
