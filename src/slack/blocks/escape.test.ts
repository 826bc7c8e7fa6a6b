import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, fence, inlineCode, slackDate, userMention } from './escape.js';

describe('escapeMrkdwn', () => {
  it('escapes exactly &, < and >, ampersand first so entities are not double-read', () => {
    expect(escapeMrkdwn('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
    expect(escapeMrkdwn('&lt;')).toBe('&amp;lt;');
  });

  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here|here>', '&lt;!here|here&gt;'],
    ['<@U0ALICE>', '&lt;@U0ALICE&gt;'],
    ['<https://evil.example/login|click me>', '&lt;https://evil.example/login|click me&gt;'],
    ['<#C0PROD>', '&lt;#C0PROD&gt;'],
  ])('defuses %s', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });

  it('leaves everything else, emoji included, alone', () => {
    expect(escapeMrkdwn('api-server 🚀 "ok" *bold* _it_ ~s~')).toBe('api-server 🚀 "ok" *bold* _it_ ~s~');
  });
});

describe('escapeMrkdwn and backticks', () => {
  it('keeps a log line from opening or closing a code fence', () => {
    const out = escapeMrkdwn('before ``` after');
    expect(out).not.toContain('``');
    expect(out.replace(/\u200b/g, '')).toBe('before ``` after');
    expect(fence(out).split('```')).toHaveLength(3);
  });

  it('leaves a single backtick alone', () => {
    expect(escapeMrkdwn('`code`')).toBe('`code`');
  });
});

describe('inlineCode', () => {
  it('wraps, escapes, and swaps backticks and newlines that would break the span', () => {
    expect(inlineCode('kubectl get pods -l app=api')).toBe('`kubectl get pods -l app=api`');
    expect(inlineCode('a`b\n c<d>')).toBe('`a\u02cbb c&lt;d&gt;`');
  });
});

describe('slackDate', () => {
  it('formats in the reader’s time zone with the ISO text as fallback', () => {
    expect(slackDate('2024-05-01T03:00:00Z')).toBe('<!date^1714532400^{date_short_pretty} at {time_secs}|2024-05-01T03:00:00Z>');
  });

  it('escapes what is not a date instead of guessing', () => {
    expect(slackDate('<soon>')).toBe('&lt;soon&gt;');
  });
});

describe('userMention', () => {
  it('mentions user IDs and nothing else', () => {
    expect(userMention('U0ALICE')).toBe('<@U0ALICE>');
    expect(userMention('W0ENTERPRISE')).toBe('<@W0ENTERPRISE>');
    expect(userMention('!channel')).toBe('!channel');
    expect(userMention('U0A><!here')).toBe('U0A&gt;&lt;!here');
  });
});
