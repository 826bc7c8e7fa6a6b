import { describe, expect, it } from 'vitest';
import type { ProposalView } from '../../services/views.js';
import { proposalCard } from './proposal-card.js';
import { allText, buttonsOf, messageProblems } from '../../../test/helpers/blocks.js';

const view = (over: Partial<ProposalView> = {}): ProposalView => ({
  cluster: 'prod',
  namespace: 'production',
  name: 'api-server',
  id: 'p-42',
  action: 'rollback',
  requestedBy: 'U0ALICE',
  summary: 'Roll api-server back from revision 4 to revision 3 (api-server:v2.0.0).',
  fromRevision: 4,
  toRevision: 3,
  images: ['registry.example.com/api-server:v2.0.0'],
  command: 'kubectl rollout undo deployment/api-server -n production --to-revision=3',
  createdAt: '2024-05-01T03:00:00Z',
  ...over,
});
const NOTE = 'Proposal recorded. Approval and execution are not enabled in this version; nothing has been changed.';

describe('proposalCard', () => {
  it('says what will change, who asked, the command, and the note; no approve button yet', () => {
    const m = proposalCard(view(), NOTE);
    const texts = m.blocks.map((b) => (b.type === 'section' || b.type === 'header' ? b.text!.text : b.type === 'context' ? (b.elements[0] as { text: string }).text : b.type));
    expect(texts).toEqual([
      '📝 Rollback proposed: production/api-server',
      'Roll api-server back from revision 4 to revision 3 (api-server:v2.0.0).\n*Requested by* <@U0ALICE>   *Revision* 4 → 3   *Images* `registry.example.com/api-server:v2.0.0`',
      '*Equivalent command*\n```\nkubectl rollout undo deployment/api-server -n production --to-revision=3\n```',
      NOTE,
      'Proposal `p-42` · cluster `prod` · <!date^1714532400^{date_short_pretty} at {time_secs}|2024-05-01T03:00:00Z>',
    ]);
    expect(buttonsOf(m)).toEqual([]);
    expect(m.text).toBe('Rollback proposed for production/api-server: Roll api-server back from revision 4 to revision 3 (api-server:v2.0.0).');
    expect(messageProblems(m)).toEqual([]);
  });

  it('leaves out what the action does not have', () => {
    const m = proposalCard(view({ action: 'restart', fromRevision: undefined, toRevision: undefined, images: undefined }), NOTE);
    expect(allText(m)).toContain('*Requested by* <@U0ALICE>\n');
    expect(allText(m)).not.toContain('*Revision*');
  });

  it('never turns a forged requester or summary into a mention', () => {
    const m = proposalCard(view({ requestedBy: '!channel', summary: '<!here> & <@U0BOB>', command: 'echo ``` <!everyone>' }), '<!channel>');
    expect(messageProblems(m)).toEqual([]);
    expect(allText(m)).toContain('*Requested by* !channel');
    expect(allText(m)).toContain('&lt;!here&gt; &amp; &lt;@U0BOB&gt;');
  });

  it('stays within limits for huge input', () => {
    const huge = '🚀'.repeat(3000);
    const m = proposalCard(view({ name: huge, summary: huge, command: huge, images: Array.from({ length: 100 }, () => huge), id: huge }), huge);
    expect(messageProblems(m)).toEqual([]);
  });
});
