import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, crashLoop, initCrashLoop, running, warmingUp } from '../../test/fixtures/snapshot-builder.js';
import { DEFAULT_STARTUP_SECONDS, failureSignals, rolloutFailureSignals, startupAllowanceSeconds } from './failure-signals.js';

const at = (s: { collectedAt: string }) => new Date(s.collectedAt);

describe('startupAllowanceSeconds', () => {
  it('adds the start-up probe budget, the readiness delay and minReadySeconds to the default', () => {
    const pod = new SnapshotBuilder('api')
      .change((c) => void (c.startupProbe = { httpGet: { path: '/', port: 8080 }, initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 6 }))
      .newPods(1, running())
      .build().pods.at(-1)!;
    // 10 + 5 × 6 for the start-up probe, 5 for the readiness probe's initial delay, 20 minReadySeconds.
    expect(startupAllowanceSeconds(pod, 20)).toBe(DEFAULT_STARTUP_SECONDS + 40 + 5 + 20);
  });
});

describe('failureSignals', () => {
  it("quotes the cluster's reasons: the crash-looping container and its last exit", () => {
    const s = new SnapshotBuilder('api').change((c) => void (c.image = 'x:v2')).readyPods(1, 3).newPods(1, crashLoop(['boom'])).build();
    expect(failureSignals(s, at(s)).map((x) => [x.kind, x.reason, x.container])).toEqual([
      ['waiting', 'CrashLoopBackOff', 'api'],
      ['terminated', 'Error', 'api'],
      ['warning-event', 'BackOff', 'api'],
      ['not-ready', 'ContainersNotReady', undefined],
    ]);
  });

  it('an init container is a container; the app waiting on PodInitializing is not a signal of its own', () => {
    const s = new SnapshotBuilder('api')
      .base((_c, spec) => void (spec.initContainers = [{ name: 'migrate', image: 'x:v1' }]))
      .change((c) => void (c.image = 'x:v2'))
      .newPods(1, initCrashLoop('migrate', ['failed']))
      .build();
    const signals = failureSignals(s, at(s));
    expect(signals.filter((x) => x.kind === 'waiting')).toEqual([expect.objectContaining({ container: 'migrate', reason: 'CrashLoopBackOff' })]);
  });

  it('probe failures inside the start-up allowance are normal; the same pod past it is not ready', () => {
    const young = new SnapshotBuilder('api').change((c) => void (c.image = 'x:v2')).newPods(1, (p) => (p.age(20), warmingUp(p))).build();
    expect(failureSignals(young, at(young))).toEqual([]);
    const old = new SnapshotBuilder('api').change((c) => void (c.image = 'x:v2')).newPods(1, (p) => (p.age(2000), warmingUp(p))).build();
    expect(failureSignals(old, at(old)).map((x) => x.kind)).toEqual(['not-ready']);
  });

  it('FailedCreate events count only while the ReplicaSet is missing pods; a complete rollout has no signals', () => {
    const s = new SnapshotBuilder('api').change((c) => void (c.image = 'x:v2'), 3).failedCreate((pod) => `pods "${pod}" is forbidden: nope`).complete().readyPods(2, 3).build();
    s.replicaSets[1]!.status!.conditions = [];
    s.deployment.status!.conditions = s.deployment.status!.conditions!.filter((c) => c.type !== 'ReplicaFailure');
    expect(failureSignals(s, at(s))).toEqual([]);
    expect(rolloutFailureSignals(s, at(s))).toEqual([]);
  });
});
