import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { messageProblems } from './blocks.js';

/** The validator every renderer test relies on must itself catch each kind of mistake. */
const md = (text: string, verbatim = true) => ({ type: 'mrkdwn' as const, text, verbatim });
const sectionOf = (text: string, verbatim = true): KnownBlock => ({ type: 'section', text: md(text, verbatim) });
const value = '{"cluster":"prod","namespace":"production","name":"api"}';
const btn = (text: string, action_id = 'deploy_diagnose', v = value) => ({ type: 'button' as const, text: { type: 'plain_text' as const, text }, action_id, value: v });
const msg = (...blocks: KnownBlock[]) => ({ text: 'fallback', blocks });

describe('messageProblems', () => {
  it('passes a message within every limit, with the mention and date tokens we write on purpose', () => {
    expect(messageProblems(msg(sectionOf('by <@U0ALICE> at <!date^1714532400^{date_short_pretty}|2024-05-01> &amp; &lt;x&gt;'), { type: 'actions', elements: [btn('Go')] }))).toEqual([]);
  });

  it.each<[string, ReturnType<typeof msg>, string]>([
    ['an empty fallback', { text: ' ', blocks: [sectionOf('x')] }, 'text: empty fallback'],
    ['a mention in the fallback', { text: '<!channel> down', blocks: [sectionOf('x')] }, 'text: unescaped < or >'],
    ['51 blocks', msg(...Array.from({ length: 51 }, () => sectionOf('x'))), '51 blocks'],
    ['a long header', msg({ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }), 'blocks/0/text: 151 characters (1..150)'],
    ['a long section', msg(sectionOf('s'.repeat(3001))), 'blocks/0/text: 3001 characters (1..3000)'],
    ['an empty section', msg(sectionOf('')), 'blocks/0/text: 0 characters (1..3000)'],
    ['mrkdwn without verbatim', msg(sectionOf('x', false)), 'blocks/0/text: mrkdwn without verbatim'],
    ['an unescaped link', msg(sectionOf('<https://evil.example|hi>')), 'blocks/0/text: unescaped < or >'],
    ['an unescaped ampersand', msg(sectionOf('a & b')), 'blocks/0/text: unescaped &'],
    ['an open fence', msg(sectionOf('```\ncode')), 'blocks/0/text: unbalanced code fence'],
    ['half an emoji', msg(sectionOf('x\ud83d')), 'blocks/0/text: lone surrogate'],
    ['11 context elements', msg({ type: 'context', elements: Array.from({ length: 11 }, () => md('c')) }), 'blocks/0: 11 context elements'],
    ['26 buttons', msg({ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => btn('b', `deploy_logs:${i + 1}`)) }), 'blocks/0: 26 actions'],
    ['a long button text', msg({ type: 'actions', elements: [btn('b'.repeat(76))] }), 'blocks/0/elements/0/text: 76 characters (1..75)'],
    ['an unknown action', msg({ type: 'actions', elements: [btn('b', 'deploy_everything')] }), 'blocks/0/elements/0: action_id "deploy_everything"'],
    ['a repeated action', msg({ type: 'actions', elements: [btn('a'), btn('b')] }), 'blocks/0/elements/1: duplicate action_id deploy_diagnose'],
    ['a bad value', msg({ type: 'actions', elements: [btn('b', 'deploy_diagnose', '{}')] }), 'blocks/0/elements/0: invalid button value: cluster'],
    ['a long value', msg({ type: 'actions', elements: [btn('b', 'deploy_diagnose', 'v'.repeat(2001))] }), 'blocks/0/elements/0: value of 2001 characters'],
    // Only the emulator checks styles: proof that its opinion is heard.
    ['a style Slack does not have', msg({ type: 'actions', elements: [{ ...btn('b'), style: 'warning' as 'primary' }] }), 'Slack emulator: invalid_blocks must be one of the provided values [json-pointer:/blocks/0/elements/0/style]'],
  ])('catches %s', (_what, message, problem) => {
    expect(messageProblems(message).join('\n')).toContain(problem);
  });
});
