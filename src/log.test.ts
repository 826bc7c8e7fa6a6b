import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: createLogger({ destination, level: 'debug' }) };
}

describe('createLogger', () => {
  it('writes JSON and censors secret fields by path', () => {
    const { lines, logger } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer abc' } }, token: 'xoxb-secret', secret: { data: { pw: 'aGk=' } } }, 'hello');
    const rec = lines[0]!;
    expect(rec.msg).toBe('hello');
    expect(JSON.stringify(rec)).not.toContain('xoxb-secret');
    expect(JSON.stringify(rec)).not.toContain('Bearer abc');
    expect(JSON.stringify(rec)).not.toContain('aGk=');
  });

  it('scrubs secrets in messages and error text', () => {
    const { lines, logger } = capture();
    logger.error({ err: new Error('login failed password=hunter2') }, 'connect with token=abc123');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('abc123');
    expect(text).toContain('password=[REDACTED]');
  });
});
