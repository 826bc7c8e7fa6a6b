import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { MAX_BLOCKS, clipMrkdwn, clipPlain, fitBlocks, fitLines, type BlockGroup } from './limits.js';
import { mrkdwnProblems } from '../../../test/helpers/blocks.js';

describe('clipPlain', () => {
  it('keeps text that fits and cuts the rest to exactly max with an ellipsis', () => {
    expect(clipPlain('deployment', 10)).toBe('deployment');
    expect(clipPlain('deployments', 10)).toBe('deploymen…');
  });

  it('never cuts an emoji (a surrogate pair) in half', () => {
    const text = `${'a'.repeat(8)}🚀🚀`; // the first rocket occupies indexes 8 and 9
    const out = clipPlain(text, 10);
    expect(out).toBe(`${'a'.repeat(8)}…`);
    expect(mrkdwnProblems(out, 'x')).toEqual([]);
  });
});

describe('clipMrkdwn', () => {
  it('closes a code fence the cut left open', () => {
    const text = `*Logs*\n\`\`\`\n${'line\n'.repeat(100)}\`\`\``;
    const out = clipMrkdwn(text, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.endsWith('…\n```')).toBe(true);
    expect(mrkdwnProblems(out, 'x')).toEqual([]);
  });

  it('does not add a fence when none is open', () => {
    expect(clipMrkdwn('x'.repeat(200), 100)).toBe(`${'x'.repeat(95)}…`);
  });

  it('never leaves half of a ``` run behind', () => {
    // 94 characters of text, then a fence: a naive cut at 95 keeps one backtick.
    const out = clipMrkdwn(`${'x'.repeat(94)}\`\`\`\ncode\n\`\`\``, 100);
    expect(out).toBe(`${'x'.repeat(94)}…`);
  });

  it('never cuts an &entity; in half', () => {
    const out = clipMrkdwn(`${'x'.repeat(93)}&amp;${'y'.repeat(20)}`, 100);
    expect(out).toBe(`${'x'.repeat(93)}…`);
  });

  it('never cuts a surrogate pair', () => {
    const out = clipMrkdwn('🚀'.repeat(100), 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(mrkdwnProblems(out, 'x')).toEqual([]);
  });
});

describe('fitLines', () => {
  const lines = ['aaaa', 'bbbb', 'cccc'];

  it('keeps whole lines from the start within the budget, newlines counted', () => {
    expect(fitLines(lines, 9)).toEqual({ kept: ['aaaa', 'bbbb'], hidden: 1 });
    expect(fitLines(lines, 14)).toEqual({ kept: lines, hidden: 0 });
  });

  it('keeps the last lines when asked, in their order', () => {
    expect(fitLines(lines, 9, 'end')).toEqual({ kept: ['bbbb', 'cccc'], hidden: 1 });
  });

  it('stops at the first line that does not fit rather than skipping it', () => {
    expect(fitLines(['a', 'x'.repeat(50), 'b'], 10)).toEqual({ kept: ['a'], hidden: 2 });
  });
});

describe('fitBlocks', () => {
  const block = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } });
  const texts = (blocks: KnownBlock[]) => blocks.map((b) => (b.type === 'section' || b.type === 'header' ? b.text!.text : b.type === 'context' ? (b.elements[0] as { text: string }).text : b.type));

  it('returns everything when it fits', () => {
    const groups: BlockGroup[] = [{ priority: 0, blocks: [block('a')] }, { priority: 3, blocks: [block('b')] }];
    expect(texts(fitBlocks(groups, { one: 'finding' }))).toEqual(['a', 'b']);
  });

  it('drops the least important groups, latest first, and says so where they were', () => {
    const groups: BlockGroup[] = [
      { priority: 0, blocks: [block('head')] },
      { priority: 2, blocks: [block('log1'), block('log2')] },
      ...Array.from({ length: 60 }, (_, i) => ({ priority: 3, blocks: [block(`other${i}`)] })),
      { priority: 0, blocks: [block('footer')] },
    ];
    const out = fitBlocks(groups, { one: 'finding', cli: 'deploy-medic diagnose api -n prod' });
    expect(out).toHaveLength(MAX_BLOCKS);
    const t = texts(out);
    expect(t.slice(0, 4)).toEqual(['head', 'log1', 'log2', 'other0']);
    expect(t[t.length - 1]).toBe('footer');
    // 62 + 2 blocks in, 50 out: 45 "other" groups kept, 15 dropped from the end, one line instead.
    expect(t[t.length - 2]).toBe('…15 more findings not shown; use the CLI for everything: `deploy-medic diagnose api -n prod`');
    expect(t[t.length - 3]).toBe('other44');
  });

  it('drops whole groups, never half of one', () => {
    const groups: BlockGroup[] = [{ priority: 0, blocks: [block('keep')] }, { priority: 1, blocks: [block('x'), block('y'), block('z')] }];
    expect(texts(fitBlocks(groups, { one: 'item' }, 3))).toEqual(['keep', '…1 more item not shown; use the CLI for everything']);
  });
});
