import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { lastHealthyRevision, revisionHistory, rolloutStatus } from './rollout.js';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});

function deployment(over: Partial<Deployment['status']> = {}, spec: Partial<NonNullable<Deployment['spec']>> = {}, generation = 2): Deployment {
  return {
    metadata: {
      name: 'web',
      namespace: 'prod',
      generation,
      annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'bad', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('web:2'), ...spec },
    status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, ...over },
  };
}

const rs = (revision: number, image: string, available = 0, extra: Record<string, string> = {}): ReplicaSet => ({
  metadata: {
    name: `web-${revision}`,
    creationTimestamp: `2026-01-0${revision}T00:00:00Z`,
    annotations: { 'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': '3', ...extra },
  },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(image, `h${revision}`) },
  status: { replicas: available, availableReplicas: available },
});

describe('rolloutStatus (kubectl DeploymentStatusViewer)', () => {
  it.each([
    ['an unobserved generation', deployment({ observedGeneration: 1 }), 'progressing', 'Waiting for deployment spec update to be observed...'],
    [
      'a blown deadline',
      deployment({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }),
      'failed',
      'deployment "web" exceeded its progress deadline',
    ],
    ['too few updated', deployment({ updatedReplicas: 1, replicas: 4 }), 'progressing', 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'],
    ['old replicas left', deployment({ replicas: 4 }), 'progressing', 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...'],
    ['unavailable updated', deployment({ availableReplicas: 2 }), 'progressing', 'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...'],
    ['done', deployment(), 'complete', 'deployment "web" successfully rolled out'],
    ['paused mid-way', deployment({ updatedReplicas: 0 }, { paused: true }), 'paused', 'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...'],
  ])('%s', (_t, d, state, message) => {
    expect(rolloutStatus(d)).toEqual({ state, message });
  });
});

describe('history and last healthy revision', () => {
  it('lists revisions oldest first and marks the current one', () => {
    const h = revisionHistory(deployment(), [rs(2, 'web:2'), rs(1, 'web:1', 3, { 'kubernetes.io/change-cause': 'good' })]);
    expect(h.map((r) => [r.revision, r.images, r.changeCause, r.current])).toEqual([
      [1, ['web:1'], 'good', false],
      [2, ['web:2'], null, true],
    ]);
  });

  it('is the newest revision with available pods', () => {
    expect(lastHealthyRevision([rs(1, 'web:1', 3), rs(2, 'web:2', 0)])).toBe(1);
    expect(lastHealthyRevision([rs(1, 'web:1', 1), rs(2, 'web:2', 3)])).toBe(2);
    expect(lastHealthyRevision([rs(1, 'web:1'), rs(2, 'web:2')])).toBeNull();
  });
});
