import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { podColumns, printPod } from './pods.js';

const now = new Date('2024-05-01T12:00:00Z');

const conditions = (ready: boolean, initialized = true): PodCondition[] => [
  { type: 'PodReadyToStartContainers', status: 'True' },
  { type: 'Initialized', status: initialized ? 'True' : 'False' },
  { type: 'Ready', status: ready ? 'True' : 'False', reason: ready ? undefined : 'ContainersNotReady' },
  { type: 'ContainersReady', status: ready ? 'True' : 'False' },
  { type: 'PodScheduled', status: 'True' },
];

function status(name: string, fields: Partial<ContainerStatus>): ContainerStatus {
  return { name, image: `registry.example.com/shop/${name}:v2.3.1`, imageID: '', ready: false, restartCount: 0, ...fields };
}

function pod(overrides: { spec?: Partial<Pod['spec']>; status?: Pod['status']; metadata?: Pod['metadata'] }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-7d4b9c6f5d-x2x9k',
      namespace: 'shop',
      creationTimestamp: '2024-05-01T11:55:00Z',
      ...overrides.metadata,
    },
    spec: {
      containers: [{ name: 'web', image: 'registry.example.com/shop/web:v2.3.1' }],
      nodeName: 'worker-1',
      ...overrides.spec,
    },
    status: { podIP: '10.244.1.17', podIPs: [{ ip: '10.244.1.17' }], ...overrides.status },
  };
}

describe('podColumns', () => {
  it('matches the apiserver: five default columns, four -o wide ones', () => {
    expect(podColumns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
  });
});

describe('printPod', () => {
  it('shows ImagePullBackOff for a container that cannot pull its image', () => {
    const row = printPod(
      pod({
        status: {
          phase: 'Pending',
          conditions: conditions(false),
          containerStatuses: [
            status('web', {
              started: false,
              state: {
                waiting: {
                  reason: 'ImagePullBackOff',
                  message: 'Back-off pulling image "registry.example.com/shop/web:v2.3.1"',
                },
              },
            }),
          ],
        },
      }),
      now,
    );
    expect(row).toEqual({
      cells: ['web-7d4b9c6f5d-x2x9k', '0/1', 'ImagePullBackOff', '0', '5m', '10.244.1.17', 'worker-1', '<none>', '<none>'],
    });
  });

  it('shows CrashLoopBackOff with restarts and when the last one happened', () => {
    const row = printPod(
      pod({
        metadata: { name: 'checkout-5f8b7c9d4-qq7rl', creationTimestamp: '2024-05-01T10:00:00Z' },
        status: {
          phase: 'Running',
          conditions: conditions(false),
          containerStatuses: [
            status('checkout', {
              restartCount: 5,
              started: false,
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: 'back-off 2m40s restarting failed container=checkout',
                },
              },
              lastState: {
                terminated: {
                  exitCode: 1,
                  reason: 'Error',
                  startedAt: '2024-05-01T11:57:46Z',
                  finishedAt: '2024-05-01T11:57:48Z',
                },
              },
            }),
          ],
        },
      }),
      now,
    );
    expect(row.cells.slice(0, 5)).toEqual(['checkout-5f8b7c9d4-qq7rl', '0/1', 'CrashLoopBackOff', '5 (2m12s ago)', '120m']);
  });

  it('shows OOMKilled while the killed container is terminated', () => {
    const row = printPod(
      pod({
        status: {
          phase: 'Running',
          conditions: conditions(false),
          containerStatuses: [
            status('web', {
              restartCount: 3,
              state: {
                terminated: {
                  exitCode: 137,
                  reason: 'OOMKilled',
                  startedAt: '2024-05-01T11:58:10Z',
                  finishedAt: '2024-05-01T11:59:30Z',
                },
              },
              lastState: {
                terminated: {
                  exitCode: 137,
                  reason: 'OOMKilled',
                  startedAt: '2024-05-01T11:48:00Z',
                  finishedAt: '2024-05-01T11:50:00Z',
                },
              },
            }),
          ],
        },
      }),
      now,
    );
    expect(row.cells.slice(1, 4)).toEqual(['0/1', 'OOMKilled', '3 (10m ago)']);
  });

  it('shows the first container\'s problem when several have one', () => {
    const row = printPod(
      pod({
        spec: {
          containers: [
            { name: 'web', image: 'web' },
            { name: 'metrics', image: 'metrics' },
          ],
        },
        status: {
          phase: 'Running',
          conditions: conditions(false),
          containerStatuses: [
            status('web', { state: { waiting: { reason: 'CreateContainerConfigError' } } }),
            status('metrics', { state: { terminated: { exitCode: 2 } } }),
          ],
        },
      }),
      now,
    );
    expect(row.cells.slice(1, 3)).toEqual(['0/2', 'CreateContainerConfigError']);
  });

  it('prints ExitCode or Signal when a terminated container has no reason', () => {
    const exited = (state: ContainerStatus['state']) =>
      printPod(pod({ status: { phase: 'Running', containerStatuses: [status('web', { state })] } }), now).cells[2];
    expect(exited({ terminated: { exitCode: 2 } })).toBe('ExitCode:2');
    expect(exited({ terminated: { exitCode: 137, signal: 9 } })).toBe('Signal:9');
  });

  it('is NotReady, not Completed, when a finished container sits beside a running one', () => {
    const twoContainers = (ready: boolean) =>
      pod({
        spec: {
          containers: [
            { name: 'web', image: 'web' },
            { name: 'migrate', image: 'migrate' },
          ],
        },
        status: {
          phase: 'Running',
          conditions: conditions(ready),
          containerStatuses: [
            status('web', { ready: true, started: true, state: { running: { startedAt: '2024-05-01T11:55:05Z' } } }),
            status('migrate', { state: { terminated: { exitCode: 0, reason: 'Completed' } } }),
          ],
        },
      });
    expect(printPod(twoContainers(false), now).cells.slice(1, 3)).toEqual(['1/2', 'NotReady']);
    expect(printPod(twoContainers(true), now).cells.slice(1, 3)).toEqual(['1/2', 'Running']);
  });

  it('shows Running and counts ready containers for a healthy pod', () => {
    const row = printPod(
      pod({
        status: {
          phase: 'Running',
          conditions: conditions(true),
          containerStatuses: [
            status('web', { ready: true, started: true, state: { running: { startedAt: '2024-05-01T11:55:05Z' } } }),
          ],
        },
      }),
      now,
    );
    expect(row).toEqual({
      cells: ['web-7d4b9c6f5d-x2x9k', '1/1', 'Running', '0', '5m', '10.244.1.17', 'worker-1', '<none>', '<none>'],
    });
  });

  describe('init containers', () => {
    const withInit = (initContainerStatuses: ContainerStatus[]) =>
      pod({
        spec: {
          initContainers: [
            { name: 'wait-for-db', image: 'busybox' },
            { name: 'migrate', image: 'migrate' },
          ],
        },
        status: {
          phase: 'Pending',
          conditions: conditions(false, false),
          initContainerStatuses,
          containerStatuses: [status('web', { state: { waiting: { reason: 'PodInitializing' } } })],
        },
      });
    const done = status('wait-for-db', { state: { terminated: { exitCode: 0, reason: 'Completed' } } });

    it('counts progress as Init:N/M', () => {
      const row = printPod(withInit([done, status('migrate', { state: { running: {} } })]), now);
      expect(row.cells.slice(1, 4)).toEqual(['0/1', 'Init:1/2', '0']);
    });

    it('surfaces an init container crash loop with its restarts', () => {
      const row = printPod(
        withInit([
          done,
          status('migrate', {
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:59:00Z' } },
          }),
        ]),
        now,
      );
      expect(row.cells.slice(1, 4)).toEqual(['0/1', 'Init:CrashLoopBackOff', '4 (60s ago)']);
    });

    it('reports a failed init container by reason, exit code or signal', () => {
      const failed = (terminated: { exitCode: number; reason?: string; signal?: number }) =>
        printPod(withInit([status('wait-for-db', { state: { terminated } })]), now).cells[2];
      expect(failed({ exitCode: 1, reason: 'Error' })).toBe('Init:Error');
      expect(failed({ exitCode: 3 })).toBe('Init:ExitCode:3');
      expect(failed({ exitCode: 137, signal: 9 })).toBe('Init:Signal:9');
    });

    it('ignores PodInitializing while waiting', () => {
      const row = printPod(withInit([status('wait-for-db', { state: { waiting: { reason: 'PodInitializing' } } })]), now);
      expect(row.cells[2]).toBe('Init:0/2');
    });

    it('counts a started sidecar as a container and keeps only its restarts once initialized', () => {
      const row = printPod(
        pod({
          spec: { initContainers: [{ name: 'istio-proxy', image: 'istio/proxyv2', restartPolicy: 'Always' }] },
          status: {
            phase: 'Running',
            conditions: conditions(true),
            initContainerStatuses: [
              status('istio-proxy', {
                ready: true,
                started: true,
                restartCount: 1,
                state: { running: {} },
                lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:30:00Z' } },
              }),
            ],
            containerStatuses: [status('web', { ready: true, started: true, state: { running: {} } })],
          },
        }),
        now,
      );
      expect(row.cells.slice(1, 4)).toEqual(['2/2', 'Running', '1 (30m ago)']);
    });
  });

  it('shows Terminating once a running pod has a deletionTimestamp', () => {
    const row = printPod(
      pod({
        metadata: { name: 'web-7d4b9c6f5d-x2x9k', deletionTimestamp: '2024-05-01T11:59:30Z' },
        status: { phase: 'Running', containerStatuses: [status('web', { ready: true, state: { running: {} } })] },
      }),
      now,
    );
    expect(row.cells[2]).toBe('Terminating');
  });

  it('shows Unknown for a pod being deleted from an unreachable node', () => {
    const row = printPod(
      pod({
        metadata: { name: 'web', deletionTimestamp: '2024-05-01T11:59:30Z' },
        status: { phase: 'Running', reason: 'NodeLost' },
      }),
      now,
    );
    expect(row.cells[2]).toBe('Unknown');
  });

  it('shows status.reason, and marks a failed pod with a Completed row condition', () => {
    const row = printPod(
      pod({ status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } }),
      now,
    );
    expect(row.cells[2]).toBe('Evicted');
    expect(row.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  });

  it('shows Completed for a succeeded pod, even one being deleted', () => {
    const row = printPod(
      pod({
        metadata: { name: 'db-migrate-28561920-bx7kq', deletionTimestamp: '2024-05-01T11:59:30Z' },
        status: {
          phase: 'Succeeded',
          containerStatuses: [status('migrate', { state: { terminated: { exitCode: 0, reason: 'Completed' } } })],
        },
      }),
      now,
    );
    expect(row.cells[2]).toBe('Completed');
    expect(row.conditions).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
  });

  it('shows SchedulingGated while a scheduling gate holds the pod', () => {
    const row = printPod(
      pod({
        spec: { nodeName: undefined, schedulingGates: [{ name: 'example.com/quota' }] },
        status: {
          phase: 'Pending',
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
          podIP: undefined,
          podIPs: undefined,
        },
      }),
      now,
    );
    expect(row.cells.slice(1, 3)).toEqual(['0/1', 'SchedulingGated']);
    expect(row.cells.slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  it('fills the wide cells: nominated node and readiness gates', () => {
    const row = printPod(
      pod({
        spec: { readinessGates: [{ conditionType: 'target-health.elbv2.k8s.aws/shop-tg' }, { conditionType: 'example.com/warm' }] },
        status: {
          phase: 'Running',
          nominatedNodeName: 'worker-2',
          conditions: [...conditions(true), { type: 'target-health.elbv2.k8s.aws/shop-tg', status: 'True' }],
        },
      }),
      now,
    );
    expect(row.cells.slice(5)).toEqual(['10.244.1.17', 'worker-1', 'worker-2', '1/2']);
  });
});
