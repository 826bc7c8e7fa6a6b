import { describe, expect, it } from 'vitest';
import { MedicError } from '../errors.js';
import { tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('splits on whitespace and keeps quoted groups', () => {
    expect(tokenize('  status  api-server -n production ')).toEqual(['status', 'api-server', '-n', 'production']);
    expect(tokenize('logs api "two words" \'x y\'')).toEqual(['logs', 'api', 'two words', 'x y']);
    expect(tokenize('a ""')).toEqual(['a', '']);
  });

  it("undoes Slack's formatting of dashes, quotes and links", () => {
    expect(tokenize('rollback api —to-revision 3')).toEqual(['rollback', 'api', '--to-revision', '3']);
    expect(tokenize('status \u201Capi server\u201D')).toEqual(['status', 'api server']);
    expect(tokenize('status <http://api.io|api.io>')).toEqual(['status', 'api.io']);
  });

  it('rejects unterminated quotes and oversized input with a usage error', () => {
    expect(() => tokenize('status "api')).toThrow(new MedicError('USAGE', 'unterminated " quote'));
    expect(() => tokenize('x'.repeat(10_000))).toThrow(/10000 characters long; the limit is 2000/);
  });
});
