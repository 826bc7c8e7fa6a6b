import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { evaluateVerification } from './verification.js';

/** A rollout with every replica updated but none available: the new pods keep dying. */
const deployment: Deployment = {
  metadata: { name: 'chat', namespace: 'prod', generation: 4, annotations: { 'deployment.kubernetes.io/revision': '4' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'chat' } }, template: {} },
  status: {
    observedGeneration: 4,
    replicas: 2,
    updatedReplicas: 2,
    unavailableReplicas: 2,
    conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "chat-1" has successfully progressed.' }],
  },
};
const pod = (restartCount: number, waiting: string): Pod => ({
  metadata: { name: `chat-1-${restartCount}` },
  status: {
    phase: 'Running',
    containerStatuses: [
      { name: 'app', image: 'x', imageID: '', ready: false, restartCount, state: { waiting: { reason: waiting } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } },
    ],
  },
});
const verdict = (pods: Pod[]) => evaluateVerification({ deployment, pods, metrics: [], hpas: [], now: new Date('2026-01-01T00:00:00Z'), settleSeconds: 60, settles: true });

describe('verification of a rollout whose new pods crash-loop', () => {
  it('fails once a container is in CrashLoopBackOff after several restarts, though the deadline may never pass', () => {
    const v = verdict([pod(3, 'CrashLoopBackOff')]);
    expect(v.state).toBe('failed');
    expect(v.message).toBe('container app of pod chat-1-3 is crash-looping: 3 restarts (last exit: Error, code 1); Waiting for deployment "chat" rollout to finish: 0 of 2 updated replicas are available...');
  });

  it('keeps waiting through a slow start: a first back-off is not yet a crash loop', () => {
    expect(verdict([pod(1, 'CrashLoopBackOff')]).state).toBe('rolling');
    expect(verdict([pod(0, 'ContainerCreating')]).state).toBe('rolling');
  });
});
