import { describe, expect, it } from 'vitest';
import { errorMessage } from './error.js';
import { messageProblems } from '../../../test/helpers/blocks.js';

describe('errorMessage', () => {
  it('puts the headline in bold, the detail under it and the hint as context', () => {
    const m = errorMessage('Not found', 'deployments.apps "api" not found in namespace "production"', 'Check the name with /deploy status');
    expect(m.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '❌ *Not found*\ndeployments.apps "api" not found in namespace "production"', verbatim: true } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '💡 Check the name with /deploy status', verbatim: true }] },
    ]);
    expect(m.text).toBe('Not found: deployments.apps "api" not found in namespace "production"');
    expect(messageProblems(m)).toEqual([]);
  });

  it('works with a headline alone', () => {
    const m = errorMessage('Timed out');
    expect(m.blocks).toHaveLength(1);
    expect(m.text).toBe('Timed out');
  });

  it('escapes and clips whatever the API said', () => {
    const m = errorMessage('<!here> broke ```', `<@U0BOB> ${'e'.repeat(10_000)}`, `<#C1> ${'h'.repeat(5000)}`);
    expect(messageProblems(m)).toEqual([]);
    expect(m.text.startsWith('&lt;!here&gt; broke `\u200b`\u200b`: &lt;@U0BOB&gt;')).toBe(true);
  });
});
