import { describe, expect, it } from 'vitest';
import { basicAuthorization, credentialIdentity, parseWwwAuthenticate, TokenCache, tokenFromResponse } from './auth.js';

describe('parseWwwAuthenticate', () => {
  it('reads the Bearer challenge Distribution sends', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:api-server:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example.com/token', service: 'registry.example.com', scope: 'repository:api-server:pull' } },
    ]);
  });

  it('splits several challenges, in one header or several', () => {
    const expected = [
      { scheme: 'basic', params: { realm: 'r1' } },
      { scheme: 'bearer', params: { realm: 'https://a/t', error: 'insufficient_scope' } },
    ];
    expect(parseWwwAuthenticate('Basic realm="r1", Bearer realm="https://a/t",error="insufficient_scope"')).toEqual(expected);
    expect(parseWwwAuthenticate(['Basic realm="r1"', 'Bearer realm="https://a/t", error=insufficient_scope'])).toEqual(expected);
  });

  it('unescapes quoted strings, keeps commas inside them and lower-cases names', () => {
    expect(parseWwwAuthenticate('BASIC Realm="a \\"quoted\\", realm"')).toEqual([{ scheme: 'basic', params: { realm: 'a "quoted", realm' } }]);
  });

  it('survives token68 challenges and empty input', () => {
    expect(parseWwwAuthenticate('Negotiate YIIC==, Basic realm="x"').map((c) => c.scheme)).toEqual(['negotiate', 'basic']);
    expect(parseWwwAuthenticate(undefined)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});

describe('tokens', () => {
  it('takes token or access_token, with the specification default lifetime of 60 s', () => {
    expect(tokenFromResponse('{"token":"t1","expires_in":300}')).toEqual({ token: 't1', lifetimeMs: 300_000 });
    expect(tokenFromResponse('{"access_token":"t2"}')).toEqual({ token: 't2', lifetimeMs: 60_000 });
    expect(tokenFromResponse('{"expires_in":300}')).toBeUndefined();
    expect(tokenFromResponse('<html>')).toBeUndefined();
  });

  it('caches a token until shortly before it expires', () => {
    let now = 1_000_000;
    const cache = new TokenCache(() => now);
    cache.set('k', 'tok', 60_000);
    now += 49_000;
    expect(cache.get('k')).toBe('tok');
    now += 2_000; // inside the 10 s safety margin
    expect(cache.get('k')).toBeUndefined();
  });
});

describe('credentials', () => {
  it('builds Basic authorization and an identity that does not reveal the password', () => {
    const c = { host: 'registry.example.com', username: 'ci-bot', password: 's3cret' };
    expect(basicAuthorization(c)).toBe(`Basic ${Buffer.from('ci-bot:s3cret').toString('base64')}`);
    expect(credentialIdentity(c)).not.toContain('s3cret');
    expect(credentialIdentity(c)).not.toBe(credentialIdentity({ ...c, password: 'other' }));
    expect(credentialIdentity(undefined)).toBe('anonymous');
  });
});
