import { describe, expect, it } from 'vitest';
import { describeConnectionFailure, formatDistributionErrors, isTlsFailure, parseDistributionErrors } from './failures.js';

const withCode = (code: string, message = `connect ${code}`) => Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error(message), { code }) });

describe('Distribution error bodies', () => {
  it('reads codes and messages, and nothing from bodies that are not error JSON', () => {
    const body = '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"v2"}},{"code":"DENIED"}]}';
    expect(parseDistributionErrors(body)).toEqual([{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }, { code: 'DENIED', message: undefined }]);
    expect(formatDistributionErrors(parseDistributionErrors(body))).toBe('MANIFEST_UNKNOWN: manifest unknown; DENIED');
    expect(parseDistributionErrors('<html>502</html>')).toEqual([]);
    expect(parseDistributionErrors('{"errors":"no"}')).toEqual([]);
  });
});

describe('connection failures', () => {
  it('says in words why a registry could not be reached', () => {
    expect(describeConnectionFailure(withCode('ENOTFOUND'), 'registry.internal.invalid')).toBe('the host name registry.internal.invalid does not resolve (ENOTFOUND)');
    expect(describeConnectionFailure(withCode('ECONNREFUSED'), 'x')).toBe('the connection was refused (ECONNREFUSED)');
    expect(describeConnectionFailure(withCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'x')).toBe('TLS failed: fetch failed');
  });

  it('recognises TLS failures, which an insecure registry may answer over HTTP instead', () => {
    expect(isTlsFailure(withCode('ERR_SSL_WRONG_VERSION_NUMBER'))).toBe(true);
    expect(isTlsFailure(withCode('ECONNREFUSED'))).toBe(false);
  });
});
