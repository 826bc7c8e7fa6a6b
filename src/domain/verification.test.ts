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

describe('verification of a completed rollout', () => {
  const done: Deployment = {
    ...deployment,
    spec: { ...deployment.spec!, template: { spec: { containers: [{ name: 'app', resources: { limits: { memory: '512Mi' } } }] } } },
    status: { observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2, conditions: deployment.status!.conditions },
  };
  const healthy = (name: string, restartCount = 0): Pod => ({
    metadata: { name },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: true, restartCount, state: { running: {} } }] },
  });
  const at = (s: number) => new Date(Date.parse('2026-01-01T00:00:00Z') + s * 1000);
  const base = { deployment: done, hpas: [], settleSeconds: 60, settles: true };

  it('settles for settleSeconds on the injected clock, then is verified with memory above 90 % of the limit and the HPA reported', () => {
    const first = evaluateVerification({ ...base, pods: [healthy('a'), healthy('b')], metrics: [], now: at(0) });
    expect(first.state).toBe('settling');
    const baseline = first.state === 'settling' ? first.baseline : undefined;
    expect(evaluateVerification({ ...base, pods: [healthy('a'), healthy('b')], metrics: [], now: at(59), baseline }).state).toBe('settling');
    const metrics = [
      { metadata: { name: 'a' }, containers: [{ name: 'app', usage: { memory: '480Mi' } }] },
      { metadata: { name: 'b' }, containers: [{ name: 'app', usage: { memory: '100Mi' } }] },
    ];
    const hpa = { metadata: { name: 'chat' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'chat' }, minReplicas: 2, maxReplicas: 6 }, status: { currentReplicas: 2, desiredReplicas: 2 } };
    const v = evaluateVerification({ ...base, hpas: [hpa as never], pods: [healthy('a'), healthy('b')], metrics, now: at(60), baseline });
    expect(v).toEqual({
      state: 'verified',
      message: 'deployment "chat" successfully rolled out; no restarts or OOM kills for 60s',
      warnings: ['pod a container app uses 480Mi of its 512Mi memory limit (94%)', 'HorizontalPodAutoscaler chat: 2 current / 2 desired replicas (min 2, max 6)'],
    });
  });

  it('fails on a restart or an OOM kill during the settle period, saying what is still running', () => {
    const baseline = { completeAt: at(0).toISOString(), restarts: { 'a/app': 0, 'b/app': 0 } };
    const restarted = evaluateVerification({ ...base, pods: [healthy('a', 1), healthy('b')], metrics: [], now: at(10), baseline });
    expect(restarted).toMatchObject({ state: 'failed', message: 'container app of pod a restarted after the rollout completed (0 → 1 restarts)', stillRunning: ['a: Running, ready', 'b: Running, ready'] });
    const oom: Pod = { ...healthy('b'), status: { ...healthy('b').status, containerStatuses: [{ ...healthy('b').status!.containerStatuses![0]!, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: at(5).toISOString() } } }] } };
    expect(evaluateVerification({ ...base, pods: [healthy('a'), oom], metrics: [], now: at(10), baseline })).toMatchObject({ state: 'failed', message: 'container app of pod b was OOMKilled after the rollout completed' });
  });

  it('says when the metrics API did not answer', () => {
    const baseline = { completeAt: at(0).toISOString(), restarts: {} };
    const v = evaluateVerification({ ...base, pods: [healthy('a')], metrics: undefined, now: at(61), baseline });
    expect(v).toMatchObject({ state: 'verified', warnings: ['memory use unknown: the metrics API (metrics.k8s.io) did not answer'] });
  });
});
