import { describe, expect, it } from 'vitest';
import type { PodRow, StatusView } from '../../services/views.js';
import { statusCard } from './status-card.js';
import { allText, buttonsOf, messageProblems } from '../../../test/helpers/blocks.js';

const pod = (name: string, status = 'Running', ready = status === 'Running' ? '1/1' : '0/1', restarts = '0', age = '5m'): PodRow => ({ name, ready, status, restarts, age, node: 'node-1', revision: 4 });

function view(over: Partial<StatusView> = {}): StatusView {
  return {
    cluster: 'prod',
    namespace: 'production',
    name: 'api-server',
    revision: 4,
    images: ['registry.example.com/api-server:v2.0.1'],
    paused: false,
    replicas: { desired: 3, updated: 1, ready: 2, available: 2, unavailable: 1 },
    rollout: { state: 'progressing', message: 'Waiting for deployment "api-server" rollout to finish: 1 out of 3 new replicas have been updated...' },
    pods: [pod('api-server-6dc5b6999b-tgcw8', 'ImagePullBackOff'), pod('api-server-5c9f8d7b6-abcde', 'Running', '1/1', '0', '2d'), pod('api-server-5c9f8d7b6-fghij', 'Running', '1/1', '1 (3h ago)', '2d')],
    warnings: [{ object: 'pod/api-server-6dc5b6999b-tgcw8', reason: 'Failed', message: 'Failed to pull image "registry.example.com/api-server:v2.0.1": not found', count: 4, lastSeen: '45s' }],
    collectedAt: '2024-05-01T03:00:00Z',
    ...over,
  };
}

const sectionText = (m: ReturnType<typeof statusCard>, i: number) => {
  const b = m.blocks[i]!;
  return b.type === 'section' ? b.text!.text : b.type === 'header' ? b.text.text : '';
};

describe('statusCard', () => {
  it('shows state, revision, images, replicas, pods like kubectl, warnings and three buttons', () => {
    const m = statusCard(view());
    expect(m.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section', 'actions', 'context']);
    expect(sectionText(m, 0)).toBe('⏳ production/api-server');
    expect(sectionText(m, 1)).toBe(
      [
        '⏳ *Progressing*: Waiting for deployment "api-server" rollout to finish: 1 out of 3 new replicas have been updated...',
        '*Revision* 4   *Replicas* 2/3 ready, 1 up-to-date, 2 available, 1 unavailable',
        '*Images* `registry.example.com/api-server:v2.0.1`',
      ].join('\n'),
    );
    expect(sectionText(m, 2)).toBe(
      [
        '*Pods* (3)',
        '```',
        'NAME                          READY   STATUS             RESTARTS     AGE',
        'api-server-6dc5b6999b-tgcw8   0/1     ImagePullBackOff   0            5m',
        'api-server-5c9f8d7b6-abcde    1/1     Running            0            2d',
        'api-server-5c9f8d7b6-fghij    1/1     Running            1 (3h ago)   2d',
        '```',
      ].join('\n'),
    );
    expect(sectionText(m, 3)).toBe('*Recent warnings*\n• *Failed* pod/api-server-6dc5b6999b-tgcw8: Failed to pull image "registry.example.com/api-server:v2.0.1": not found (x4) · 45s ago');
    const ref = { cluster: 'prod', namespace: 'production', name: 'api-server' };
    expect(buttonsOf(m)).toEqual([
      { text: 'Diagnose', actionId: 'deploy_diagnose', value: ref },
      { text: 'Logs', actionId: 'deploy_logs', value: { ...ref, pod: 'api-server-6dc5b6999b-tgcw8' } },
      { text: 'Propose rollback', actionId: 'deploy_propose_rollback', value: ref },
    ]);
    expect(allText(m)).toContain('Cluster `prod` · collected <!date^1714532400^');
    expect(m.text).toBe('⏳ production/api-server: Waiting for deployment "api-server" rollout to finish: 1 out of 3 new replicas have been updated... (revision 4, 2/3 ready)');
    expect(messageProblems(m)).toEqual([]);
  });

  it.each([
    ['complete', '✅', 'Complete'],
    ['progressing', '⏳', 'Progressing'],
    ['failed', '❌', 'Failed'],
    ['paused', '⏸️', 'Paused'],
  ] as const)('marks a %s rollout with %s', (state, emoji, word) => {
    const m = statusCard(view({ rollout: { state, message: 'kubectl says so' } }));
    expect(sectionText(m, 0)).toBe(`${emoji} production/api-server`);
    expect(sectionText(m, 1).split('\n')[0]).toBe(`${emoji} *${word}*: kubectl says so`);
    expect(m.text.startsWith(`${emoji} production/api-server: kubectl says so`)).toBe(true);
  });

  it('says so when there are no pods and no warnings, and sends Logs without a pod', () => {
    const m = statusCard(view({ pods: [], warnings: [] }));
    expect(sectionText(m, 2)).toBe('*Pods*: none');
    expect(sectionText(m, 3)).toBe('*Recent warnings*: none');
    expect(buttonsOf(m)[1]!.value.pod).toBeUndefined();
    expect(messageProblems(m)).toEqual([]);
  });

  it('lists failing pods first when not all fit, and counts the rest', () => {
    const running = Array.from({ length: 250 }, (_, i) => pod(`api-server-5c9f8d7b6-${String(i).padStart(5, '0')}`));
    const failing = Array.from({ length: 50 }, (_, i) => pod(`api-server-6dc5b6999b-${String(i).padStart(5, '0')}`, 'CrashLoopBackOff', '0/1', '12 (30s ago)'));
    const m = statusCard(view({ pods: [...running, ...failing] }));
    const text = sectionText(m, 2);
    const rows = text.split('\n').filter((l) => l.startsWith('api-server-'));
    const hidden = Number(/…and (\d+) more pods$/.exec(text)?.[1]);
    expect(rows.length + hidden).toBe(300);
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.slice(0, 50).every((r) => r.includes('CrashLoopBackOff'))).toBe(true);
    expect(text.startsWith('*Pods* (300)\n```\nNAME')).toBe(true);
    expect(messageProblems(m)).toEqual([]);
  });

  it('keeps the given order when every pod fits', () => {
    const m = statusCard(view({ pods: [pod('b-running'), pod('a-failing', 'Error')] }));
    expect(sectionText(m, 2).indexOf('b-running')).toBeLessThan(sectionText(m, 2).indexOf('a-failing'));
  });

  it('stays within Slack’s limits for huge, hostile input', () => {
    const huge = 'x'.repeat(3000);
    const m = statusCard(
      view({
        name: '🚀'.repeat(200),
        namespace: 'ns-ü',
        images: Array.from({ length: 100 }, (_, i) => `registry.example.com/team/${'i'.repeat(100)}:${i}`),
        rollout: { state: 'failed', message: `${huge}<!channel>` },
        pods: Array.from({ length: 300 }, (_, i) => pod(`${'p'.repeat(250)}${i}`, i % 2 ? 'Running' : 'ErrImagePull')),
        warnings: Array.from({ length: 500 }, (_, i) => ({ object: `pod/😀${i}`, reason: huge, message: `${huge}\n${huge}`, count: i, lastSeen: '1s' })),
      }),
    );
    expect(messageProblems(m)).toEqual([]);
    expect(allText(m)).toMatch(/…and \d+ more warnings/);
    // A name no Kubernetes object can have cannot ride on a button: the card still renders, without them.
    expect(buttonsOf(m)).toEqual([]);
  });

  it('escapes cluster text everywhere, fallback included', () => {
    const m = statusCard(
      view({
        rollout: { state: 'failed', message: 'deployment "<!channel>" & <https://evil.example|x>' },
        warnings: [{ object: 'pod/<@U0BOB>', reason: '<!here>', message: '<#C0PROD>', count: 1, lastSeen: '1m' }],
        images: ['<!everyone>'],
      }),
    );
    expect(messageProblems(m)).toEqual([]);
    expect(allText(m)).toContain('deployment "&lt;!channel&gt;" &amp; &lt;https://evil.example|x&gt;');
    expect(allText(m)).toContain('• *&lt;!here&gt;* pod/&lt;@U0BOB&gt;: &lt;#C0PROD&gt; · 1m ago');
    expect(m.text).toContain('&lt;!channel&gt;');
  });
});
