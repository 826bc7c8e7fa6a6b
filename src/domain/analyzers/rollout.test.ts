import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, unschedulable } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeRollout } from './rollout.js';

const quotaMessage = (quota: string, req: string, used: string, limit: string) => (pod: string) =>
  `pods "${pod}" is forbidden: exceeded quota: ${quota}, requested: ${req}, used: ${used}, limited: ${limit}`;

/** Three 1Gi pods fill a memory quota; revision 2 asks for `newMemory` per pod. */
function memoryQuota(newMemory: string, hard: string, strategy?: [number | string, number | string]) {
  const b = new SnapshotBuilder('batch-processor', { namespace: 'batch' });
  if (strategy) b.strategy(...strategy);
  return b
    .base((c) => void (c.resources = { requests: { memory: '1Gi' } }))
    .change((c) => void (c.resources = { requests: { memory: newMemory } }))
    .readyPods(1, 3)
    .failedCreate(quotaMessage('compute-quota', `requests.memory=${newMemory}`, 'requests.memory=3Gi', `requests.memory=${hard}`))
    .deadlineExceeded()
    .quota('compute-quota', { 'requests.memory': hard }, { 'requests.memory': '3Gi' })
    .build();
}

const codes = (s: ReturnType<typeof memoryQuota>) => analyzeRollout(s).map((f) => f.code);

describe('ROLLOUT_STUCK', () => {
  it('blames the strategy when a full pod quota leaves no room for the surge pod', () => {
    const s = new SnapshotBuilder('media-transcoder', { namespace: 'media' })
      .strategy(1, 0)
      .change((c) => void (c.image = 'registry.example.com/media-transcoder:v1.1.0'))
      .readyPods(1, 3)
      .failedCreate(quotaMessage('media-quota', 'pods=1', 'pods=3', 'pods=3'))
      .quota('media-quota', { pods: '3' }, { pods: '3' })
      .build();
    const [f] = analyzeRollout(s);
    expect(f!.code).toBe('ROLLOUT_STUCK');
    expect(f!.title).toBe('Rollout stuck: maxUnavailable resolves to 0 and quota media-quota has no room for a surge pod');
    expect(f!.summary).toContain('(maxUnavailable is 0), but quota media-quota has no room for a surge pod (pods: 3/3 used)');
    expect(f!.evidence[0]).toEqual({ kind: 'spec', name: 'deployment/media-transcoder', detail: 'strategy RollingUpdate maxSurge=1, maxUnavailable=0: with 3 replicas that is surge 1, unavailable 0' });
    expect(f!.fixes[0]).toEqual({
      kind: 'manual',
      title: 'Set maxUnavailable to 1 so pods are replaced one at a time',
      command: `kubectl patch deployment media-transcoder -n media -p '{"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":1}}}}'`,
    });
    expect(f!.fixes).toContainEqual({ kind: 'rollback', title: 'Roll back to revision 1 (media-transcoder:v1.0.0)', toRevision: 1 });
  });

  it('sees that the default 25% of 3 replicas rounds down to 0', () => {
    const f = analyzeRollout(memoryQuota('1Gi', '3Gi')).find((x) => x.code === 'ROLLOUT_STUCK');
    expect(f!.summary).toContain('(maxUnavailable 25% of 3 replicas rounds down to 0)');
  });

  it('stays quiet when the new pods could never all fit (2Gi each in a 4Gi quota)', () => {
    expect(codes(memoryQuota('2Gi', '4Gi'))).toEqual(['PROGRESS_DEADLINE_EXCEEDED']);
  });

  it('stays quiet when pods may already be replaced one at a time', () => {
    expect(codes(memoryQuota('1Gi', '3Gi', ['25%', 1]))).toEqual(['PROGRESS_DEADLINE_EXCEEDED']);
  });

  it('blames the strategy when no node has room for the surge pod but a replaced pod would fit', () => {
    const full = '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.';
    const cluster = (cpu: string) =>
      new SnapshotBuilder('render')
        .strategy(1, 0)
        .base((c) => void (c.resources = { requests: { cpu: '2' } }))
        .change((c) => void ((c.image = 'registry.example.com/render:v2'), (c.resources = { requests: { cpu } })))
        .readyPods(1, 3)
        .newPods(1, unschedulable(full))
        .build();
    const [f] = analyzeRollout(cluster('2'));
    expect(f!.code).toBe('ROLLOUT_STUCK');
    expect(f!.summary).toContain('no node has room for a surge pod (Insufficient cpu)');
    expect(analyzeRollout(cluster('3'))).toEqual([]);
  });
});

describe('PROGRESS_DEADLINE_EXCEEDED and ROLLOUT_PAUSED', () => {
  it('reports the deadline with the condition as evidence', () => {
    const [f] = analyzeRollout(new SnapshotBuilder('api-server').change((c) => void (c.image = 'x:v2')).deadlineExceeded().build());
    expect(f!.code).toBe('PROGRESS_DEADLINE_EXCEEDED');
    expect(f!.title).toBe('Rollout of revision 2 exceeded its 600s progress deadline');
    expect(f!.evidence[0]!.detail).toBe('Progressing False ProgressDeadlineExceeded: ReplicaSet "api-server-6dc5b6999b" has timed out progressing. (since 2026-11-21T10:11:40Z)');
  });

  it('reports a paused template change as a warning with a resume fix', () => {
    const [f] = analyzeRollout(new SnapshotBuilder('cart-service', { image: 'registry.example.com/cart-service:v3.0.0' }).pausedChange((c) => void (c.image = 'registry.example.com/cart-service:v3.1.0')).readyPods(1, 3).build());
    expect(f).toMatchObject({ code: 'ROLLOUT_PAUSED', severity: 'warning', fixes: [{ kind: 'resume', title: 'Resume the rollout of cart-service' }] });
    expect(f!.summary).toBe('cart-service is paused, so its changed template (registry.example.com/cart-service:v3.1.0) is not rolled out; pods still run revision 1 (registry.example.com/cart-service:v3.0.0). Resume it if the change should go out.');
  });

  it('says nothing about a paused deployment with nothing pending', () => {
    const s = new SnapshotBuilder('cart-service').readyPods(1, 3).build();
    Object.assign(s.deployment.spec!, { paused: true });
    expect(analyzeRollout(s)).toEqual([]);
  });
});
