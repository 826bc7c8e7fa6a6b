import { describe, expect, it } from 'vitest';
import type { HistoryView } from '../../services/views.js';
import { historyCard } from './history-card.js';
import { allText, buttonsOf, messageProblems } from '../../../test/helpers/blocks.js';

const rev = (revision: number, current = false, changeCause: string | null = null): HistoryView['revisions'][number] => ({
  revision,
  images: [`registry.example.com/api-server:v${revision}`],
  changeCause,
  createdAt: `2024-05-0${revision}T03:0${revision}:00Z`,
  current,
});
const view = (revisions: HistoryView['revisions']): HistoryView => ({ cluster: 'prod', namespace: 'production', name: 'api-server', revisions });
const ref = { cluster: 'prod', namespace: 'production', name: 'api-server' };

describe('historyCard', () => {
  it('lists revisions newest first like kubectl, with a rollback button for each older one', () => {
    const m = historyCard(view([rev(1, false, 'kubectl set image deployment/api-server api=v1'), rev(2), rev(3, true)]));
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions', 'context']);
    expect(allText(m)).toContain(
      [
        '*Revisions* (3)',
        '```',
        'REVISION      CREATED             IMAGES                               CHANGE-CAUSE',
        '3 (current)   2024-05-03 03:03Z   registry.example.com/api-server:v3   &lt;none&gt;',
        '2             2024-05-02 03:02Z   registry.example.com/api-server:v2   &lt;none&gt;',
        '1             2024-05-01 03:01Z   registry.example.com/api-server:v1   kubectl set image deployment/api-server api=v1',
        '```',
      ].join('\n'),
    );
    expect(buttonsOf(m)).toEqual([
      { text: 'Propose rollback to revision 2', actionId: 'deploy_propose_rollback', value: { ...ref, toRevision: 2 } },
      { text: 'Propose rollback to revision 1', actionId: 'deploy_propose_rollback:2', value: { ...ref, toRevision: 1 } },
    ]);
    expect(m.text).toBe('Rollout history of production/api-server: 3 revisions, current 3');
    expect(messageProblems(m)).toEqual([]);
  });

  it('says when there is no history', () => {
    const m = historyCard(view([]));
    expect(allText(m)).toContain('No rollout history found for deployment `api-server`.');
    expect(buttonsOf(m)).toEqual([]);
    expect(messageProblems(m)).toEqual([]);
  });

  it('stays within limits for hundreds of revisions with huge change causes, keeping the newest', () => {
    const revisions = Array.from({ length: 400 }, (_, i) => ({ ...rev(1, i === 399, `<!channel> ${'c'.repeat(3000)}`), revision: i + 1, images: Array.from({ length: 20 }, () => 'r/🚀') }));
    const m = historyCard(view(revisions));
    expect(messageProblems(m)).toEqual([]);
    const text = allText(m);
    expect(text).toContain('400 (current)');
    expect(text).toMatch(/…and \d+ more older revisions/);
    expect(buttonsOf(m).map((b) => b.value.toRevision)).toEqual([399, 398, 397, 396, 395]);
  });
});
