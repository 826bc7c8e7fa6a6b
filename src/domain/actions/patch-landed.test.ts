import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { planAction } from './index.js';
import { patchLanded } from './plan.js';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});
const rs = (revision: number, image: string, cause: string): ReplicaSet => ({
  metadata: { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': String(revision), 'kubernetes.io/change-cause': cause } },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(image, `h${revision}`) },
});
const before: Deployment = {
  metadata: { name: 'web', namespace: 'prod', generation: 2, resourceVersion: '41', annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'bad' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web:2') },
};

function rollbackPatch() {
  const outcome = planAction({ deployment: before, replicaSets: [rs(1, 'web:1', 'good'), rs(2, 'web:2', 'bad')], now: new Date('2026-01-01T00:00:00Z') }, { kind: 'rollback' });
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.plan.patch;
}

/** The deployment after the rollback landed and the controller made it revision 3 (as the apiserver and controller leave it). */
const landed = (cause = 'good', image = 'web:1'): Deployment => ({
  ...before,
  metadata: { ...before.metadata, generation: 3, resourceVersion: '57', annotations: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': cause } },
  spec: { ...before.spec!, template: { ...template(image), spec: { containers: [{ name: 'web', image, imagePullPolicy: 'IfNotPresent' }] } } },
});

describe('patchLanded after a timeout or 5xx', () => {
  it("sees a landed rollback though the controller has since bumped the revision annotation the patch carried over", () => {
    expect(patchLanded(landed(), rollbackPatch())).toBe(true);
  });

  it('does not mistake someone else’s change, or the deployment as it was, for ours', () => {
    expect(patchLanded(before, rollbackPatch())).toBe(false);
    expect(patchLanded(landed('hotfix', 'web:3'), rollbackPatch())).toBe(false);
    expect(patchLanded(landed('hotfix'), rollbackPatch())).toBe(false);
  });
});
