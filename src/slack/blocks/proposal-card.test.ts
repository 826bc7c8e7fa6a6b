import { describe, expect, it } from 'vitest';
import type { ProposalView } from '../../services/views.js';
import { ACTION_IDS } from './actions.js';
import { proposalCard } from './proposal-card.js';
import { allText, buttonsOf, messageProblems } from '../../../test/helpers/blocks.js';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const change = {
  namespace: 'production',
  name: 'api-server',
  summary: 'Roll api-server back from revision 4 to revision 3 (api-server:v2.0.0).',
  fromRevision: 4,
  toRevision: 3,
  images: ['registry.example.com/api-server:v2.0.0'],
  command: 'kubectl rollout undo deployment/api-server -n production --to-revision=3',
};
const view = (over: Partial<ProposalView> = {}): ProposalView => ({
  cluster: 'prod',
  namespace: 'production',
  name: 'api-server',
  id: ID,
  action: 'rollback',
  requestedBy: 'U0ALICE',
  createdAt: '2024-05-01T03:00:00Z',
  expiresAt: '2024-05-01T03:15:00Z',
  status: 'pending',
  required: 1,
  approvers: [],
  fourEyes: true,
  changes: [change],
  warnings: [],
  ...over,
});

describe('proposalCard', () => {
  it('says what will change, who asked, what approval it needs until when, with Approve and Reject', () => {
    const m = proposalCard(view());
    const texts = m.blocks.map((b) => (b.type === 'section' || b.type === 'header' ? b.text!.text : b.type === 'context' ? (b.elements[0] as { text: string }).text : b.type));
    expect(texts).toEqual([
      '📝 Rollback proposed: production/api-server',
      'Roll api-server back from revision 4 to revision 3 (api-server:v2.0.0).\n*Revision* 4 → 3   *Images* `registry.example.com/api-server:v2.0.0`',
      '*Equivalent command*\n```\nkubectl rollout undo deployment/api-server -n production --to-revision=3\n```',
      '*Requested by* <@U0ALICE>   *Needs* 1 approval from distinct approvers (protected namespace: not the requester)\n⏳ *Waiting for approval* (0 of 1) · expires <!date^1714533300^{date_short_pretty} at {time_secs}|2024-05-01T03:15:00Z>',
      'actions',
      `Proposal \`${ID}\` · cluster \`prod\` · <!date^1714532400^{date_short_pretty} at {time_secs}|2024-05-01T03:00:00Z>`,
    ]);
    // The buttons carry the proposal ID only; the rest is read from the store when pressed.
    expect(buttonsOf(m).map((b) => [b.actionId, b.value])).toEqual([
      [ACTION_IDS.approve, { proposalId: ID }],
      [ACTION_IDS.reject, { proposalId: ID }],
    ]);
    const approve = m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))[0] as { confirm?: { text: { text: string } } };
    expect(approve.confirm?.text.text).toContain('kubectl rollout undo');
    expect(m.text).toBe('Rollback proposed for production/api-server: Roll api-server back from revision 4 to revision 3 (api-server:v2.0.0).');
    expect(messageProblems(m)).toEqual([]);
  });

  it('shows every deployment of a multi-service rollback, the warnings, and no buttons once decided', () => {
    const many = view({ name: 'api, web', changes: [change, { ...change, name: 'web', summary: 'Roll web back.', command: 'kubectl rollout undo deployment/web -n production' }], warnings: ['The failing revision ran a database migration.'] });
    expect(allText(proposalCard(many))).toContain('*web*: Roll web back.');
    expect(allText(proposalCard(many))).toContain('⚠️ The failing revision ran a database migration.');
    const done = proposalCard(view({ status: 'succeeded', approvers: ['U0BOB'] }));
    expect(buttonsOf(done)).toEqual([]);
    expect(allText(done)).toContain('*Done*, approved by <@U0BOB>');
  });

  it('leaves out what the action does not have', () => {
    const m = proposalCard(view({ action: 'restart', changes: [{ ...change, fromRevision: undefined, toRevision: undefined, images: undefined }] }));
    expect(allText(m)).not.toContain('*Revision*');
    const approve = m.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))[0] as { confirm?: unknown };
    expect(approve.confirm).toBeDefined();
    expect((proposalCard(view({ action: 'pause' })).blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []))[0] as { confirm?: unknown }).confirm).toBeUndefined();
  });

  it('never turns a forged requester or summary into a mention', () => {
    const m = proposalCard(view({ requestedBy: '!channel', changes: [{ ...change, summary: '<!here> & <@U0BOB>', command: 'echo ``` <!everyone>' }] }));
    expect(messageProblems(m)).toEqual([]);
    expect(allText(m)).toContain('*Requested by* !channel');
    expect(allText(m)).toContain('&lt;!here&gt; &amp; &lt;@U0BOB&gt;');
  });

  it('stays within limits for huge input', () => {
    const huge = '🚀'.repeat(3000);
    const changes = Array.from({ length: 30 }, () => ({ ...change, name: huge, summary: huge, command: huge, images: Array.from({ length: 100 }, () => huge) }));
    const m = proposalCard(view({ name: huge, changes, warnings: [huge, huge] }));
    expect(messageProblems(m)).toEqual([]);
  });
});
