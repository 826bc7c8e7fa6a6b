import type { Node, Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { playRollout, type RolloutPlan } from './rollout-steps.js';

const node = (name: string, memory = '4Gi', pods = '110'): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } }, status: { allocatable: { cpu: '4', memory, pods } } });
const pod = (name: string, memory: string, nodeName?: string, labels: Record<string, string> = { app: 'web' }): Pod => ({
  metadata: { name, namespace: 'shop', labels },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'web', image: 'web:1', resources: { requests: { memory } } }] },
});
const quota = (hard: Record<string, string>): ResourceQuota => ({ metadata: { name: 'q', namespace: 'shop' }, spec: { hard } });

const plan = (over: Partial<RolloutPlan>): RolloutPlan => ({
  pod: pod('', '1Gi'),
  replicaSet: 'web-abc',
  desired: 3,
  surge: 1,
  unavailable: 0,
  recreate: false,
  oldPods: [pod('web-1', '1Gi', 'n1'), pod('web-2', '1Gi', 'n2'), pod('web-3', '1Gi', 'n3')],
  otherPods: [],
  quotas: [],
  ...over,
});
const nodes = [node('n1'), node('n2'), node('n3')];
const world = { nodes, claims: [], classes: [] };

describe('playRollout', () => {
  it('completes when each step fits', () => {
    expect(playRollout(plan({}), world)).toEqual({ blockers: [], firstNode: expect.any(String) });
  });

  it('stops at the surge pod when maxUnavailable is 0 and the quota is full, quoting the quota plugin', () => {
    const out = playRollout(plan({ quotas: [quota({ pods: '3' })] }), world);
    expect(out.blockers).toEqual([{ kind: 'refused', pod: expect.stringMatching(/^web-abc-/), message: expect.stringMatching(/^pods "web-abc-\w{5}" is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3$/) }]);
  });

  it('gets through the same quota one pod at a time when one may be unavailable', () => {
    expect(playRollout(plan({ quotas: [quota({ pods: '3' })], unavailable: 1 }), world).blockers).toEqual([]);
  });

  it('stops near the end when the new pods together exceed the quota, whatever the strategy', () => {
    // One new pod (2Gi) beside the one old pod the strategy keeps (1Gi): a second new pod would make 5Gi.
    const out = playRollout(plan({ pod: pod('', '2Gi'), quotas: [quota({ 'requests.memory': '4Gi' })], unavailable: 1 }), world);
    expect(out.blockers.map((b) => b.message)).toEqual([expect.stringContaining('exceeded quota: q, requested: requests.memory=2Gi, used: requests.memory=3Gi, limited: requests.memory=4Gi')]);
  });

  it('a pod no node can ever hold is unschedulable, in the scheduler words: the surge pod, and one more for the old pod let go', () => {
    const out = playRollout(plan({ pod: pod('', '64Gi'), unavailable: 1 }), world);
    const message = '0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    expect(out.blockers).toEqual([
      { kind: 'unschedulable', pod: expect.any(String), message },
      { kind: 'unschedulable', pod: expect.any(String), message },
    ]);
  });

  it('one pod per node by anti-affinity: the surge pod has nowhere to go, but one old pod at a time makes room', () => {
    const anti = pod('', '1Gi');
    anti.spec!.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    expect(playRollout(plan({ pod: anti }), world).blockers.map((b) => b.message)).toEqual([expect.stringContaining("3 node(s) didn't match pod anti-affinity rules")]);
    expect(playRollout(plan({ pod: anti, surge: 0, unavailable: 1 }), world).blockers).toEqual([]);
  });

  it('Recreate removes every old pod first, so a full node frees up', () => {
    const small = [node('n1', '3Gi')];
    const old = [pod('web-1', '1Gi', 'n1'), pod('web-2', '1Gi', 'n1'), pod('web-3', '1Gi', 'n1')];
    expect(playRollout(plan({ oldPods: old, surge: 0, recreate: true }), { ...world, nodes: small }).blockers).toEqual([]);
    expect(playRollout(plan({ oldPods: old }), { ...world, nodes: small }).blockers[0]?.kind).toBe('unschedulable');
  });
});
