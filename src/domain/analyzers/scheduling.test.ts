import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, unschedulable } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeScheduling, fitReasons } from './scheduling.js';

const TAINT = '1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const fitError = (reasons: string, preemption: string) => `0/4 nodes are available: ${TAINT}, ${reasons}. preemption: 0/4 nodes are available: ${preemption}.`;
const MEMORY = fitError('3 Insufficient memory', '1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod');
const SELECTOR = fitError("3 node(s) didn't match Pod's node affinity/selector", '4 Preemption is not helpful for scheduling');

function worker(memory: string, message: string) {
  return new SnapshotBuilder('analytics-worker')
    .change((c) => void (c.resources = { requests: { cpu: '500m', memory }, limits: { memory } }))
    .readyPods(1, 3)
    .newPods(1, unschedulable(message))
    .build();
}

describe('fitReasons', () => {
  it('reads the histogram, not the preemption part', () => {
    expect([...fitReasons(MEMORY)]).toEqual([
      ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 1],
      ['Insufficient memory', 3],
    ]);
  });
});

describe('analyzeScheduling', () => {
  it('compares requests with the largest usable node when nothing could ever fit', () => {
    const [f] = analyzeScheduling(worker('64Gi', MEMORY));
    expect(f!.code).toBe('INSUFFICIENT_RESOURCES');
    expect(f!.title).toBe('Pods unschedulable: insufficient memory');
    expect(f!.summary).toMatch(/^Each pod requests 64Gi memory, but the largest node offers only 32Gi memory: pod analytics-worker-\S+ can never be scheduled\./);
    expect(f!.evidence).toContainEqual({ kind: 'node', name: 'node/sim-worker-1', detail: 'largest allocatable memory among 3 usable nodes: 32Gi' });
    expect(f!.fixes).toContainEqual({ kind: 'manual', title: "Lower analytics-worker's memory request below 32Gi (the largest node's allocatable)" });
    expect(f!.fixes).toContainEqual({ kind: 'rollback', title: 'Roll back to revision 1 (analytics-worker:v1.0.0)', toRevision: 1 });
  });

  it('says the cluster is full when the pod would fit on an empty node', () => {
    const [f] = analyzeScheduling(worker('16Gi', MEMORY));
    expect(f!.summary).toMatch(/^No node has 500m cpu and 16Gi memory free|^No node has 16Gi memory free/);
    expect(f!.fixes.map((x) => x.kind)).toEqual(['rollback']);
  });

  it('shows which values the nodes carry for each selector key', () => {
    const s = new SnapshotBuilder('gpu-inference')
      .change((_c, spec) => void (spec.nodeSelector = { accelerator: 'nvidia-a100' }))
      .readyPods(1, 3)
      .newPods(2, unschedulable(SELECTOR))
      .build();
    Object.assign(s.nodes[1]!.metadata!.labels!, { accelerator: 'nvidia-t4' });
    Object.assign(s.nodes[2]!.metadata!.labels!, { accelerator: 'nvidia-t4' });
    const [f] = analyzeScheduling(s);
    expect(f!.code).toBe('NODE_SELECTOR_MISMATCH');
    expect(f!.title).toBe('No node matches nodeSelector accelerator=nvidia-a100');
    expect(f!.summary).toBe('2 pods cannot be scheduled: no usable node matches nodeSelector accelerator=nvidia-a100 (nodes have accelerator=nvidia-t4 (2)). Fix the selector, add matching nodes, or roll back.');
    expect(f!.evidence[0]).toMatchObject({ kind: 'event', detail: `Warning FailedScheduling: ${SELECTOR} (x17)` });
  });

  it('ignores scheduled pods', () => {
    expect(analyzeScheduling(new SnapshotBuilder('gpu-inference').readyPods(1, 3).build())).toEqual([]);
  });
});
