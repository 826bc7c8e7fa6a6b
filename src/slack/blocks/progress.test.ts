import { describe, expect, it } from 'vitest';
import { progressMessage } from './progress.js';
import { messageProblems } from '../../../test/helpers/blocks.js';

describe('progressMessage', () => {
  it.each(['Diagnosing production/api-server', 'Diagnosing production/api-server…', 'Diagnosing production/api-server...'])('writes one hourglass and one ellipsis for %j', (text) => {
    const m = progressMessage(text);
    expect(m.text).toBe('⏳ Diagnosing production/api-server…');
    expect(m.blocks).toEqual([{ type: 'context', elements: [{ type: 'mrkdwn', text: '⏳ Diagnosing production/api-server…', verbatim: true }] }]);
  });

  it('escapes and clips', () => {
    const m = progressMessage(`<!channel> ${'x'.repeat(5000)}`);
    expect(messageProblems(m)).toEqual([]);
    expect(m.text.startsWith('⏳ &lt;!channel&gt; x')).toBe(true);
  });
});
