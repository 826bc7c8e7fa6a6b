import { describe, expect, it } from 'vitest';
import { redactText } from './redact.js';

describe('redactText', () => {
  it.each([
    ['DB_PASSWORD=hunter2 connecting', 'DB_PASSWORD=[REDACTED] connecting'],
    ['password: "s3cr3t", user: bob', 'password: "[REDACTED]", user: bob'],
    ['url?token=abc123&x=1', 'url?token=[REDACTED]&x=1'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload', 'Authorization: Bearer [REDACTED]'],
    ['postgres://app:pa55word@db:5432/app', 'postgres://app:[REDACTED]@db:5432/app'],
    ['slack xoxb-1234567890-abcdefghij', 'slack [REDACTED]'],
    ['key AKIAABCDEFGHIJKLMNOP used', 'key [REDACTED] used'],
    ['API_KEY=zzz', 'API_KEY=[REDACTED]'],
  ])('scrubs %s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary log lines alone', () => {
    const line = 'Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local';
    expect(redactText(line)).toBe(line);
  });
});
