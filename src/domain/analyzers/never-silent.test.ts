import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, containerCreating, crashLoop, evicted, running, warmingUp, type PodContext, type PodState } from '../../../test/fixtures/snapshot-builder.js';
import { isFailing } from '../diagnosis.js';
import { rolloutFailureSignals } from '../failure-signals.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { analyzeDeployment } from './index.js';

/** mulberry32: a small seeded PRNG, so every run generates the same cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}
type Rand = ReturnType<typeof prng>;

const WAITING = ['CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'InvalidImageName', 'ErrImageNeverPull', 'ImageInspectError', 'SandboxCreationFailed', 'PreStartHookError'];
const TERMINATED = ['Error', 'OOMKilled', 'ContainerCannotRun', 'StartError', 'Unknown', 'DeadlineExceeded', 'Evicted'];
const WARNINGS = ['FailedMount', 'FailedAttachVolume', 'FailedCreatePodSandBox', 'NetworkNotReady', 'FailedPostStartHook', 'InspectFailed', 'Unhealthy', 'BackOff', 'FailedSync'];
const MESSAGES = ['rpc error: code = Unknown desc = the runtime said no', 'context deadline exceeded', 'MountVolume.SetUp failed for volume "data": mount failed: exit status 32', 'secret "api-token" not found', 'exec: "/bin/app": stat /bin/app: no such file or directory', 'Back-off restarting failed container api in pod x', 'Readiness probe failed: HTTP probe failed with statuscode: 503', 'Liveness probe failed: Get "http://10.0.0.1:8080/": EOF', 'Startup probe failed: timeout', 'something nobody has seen before'];

/** One pod of the new revision: young and starting normally, or with one or more failure signals, or old and never ready. */
function podState(r: Rand, normal: boolean): PodState {
  return (p: PodContext) => {
    if (normal) {
      p.age(r.int(1, 60));
      return r.pick([containerCreating, warmingUp, (q: PodContext) => q.status({ state: { waiting: { reason: 'PodInitializing' } } })])(p);
    }
    p.age(r.pick([r.int(1, 60), r.int(400, 3000)]));
    const status: Partial<ContainerStatus> = { ready: false, restartCount: 0, state: { running: { startedAt: p.pod.status!.startTime } } };
    const kinds = r.int(1, 3);
    for (let i = 0; i < kinds; i++) {
      switch (r.int(0, 5)) {
        case 0:
          status.state = { waiting: { reason: r.pick(WAITING), message: r.pick(MESSAGES) } };
          break;
        case 1:
          status.state = { terminated: { exitCode: r.int(1, 255), reason: r.pick(TERMINATED), message: r.pick(MESSAGES) } };
          break;
        case 2:
          status.restartCount = r.int(1, 9);
          status.lastState = { terminated: { exitCode: r.int(1, 255), reason: r.pick(TERMINATED) } };
          break;
        case 3:
          p.event('Warning', r.pick(WARNINGS), r.pick(MESSAGES), { count: r.int(1, 30) });
          break;
        case 4:
          delete p.pod.spec!.nodeName;
          Object.assign(p.pod.status!, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/4 nodes are available: 4 node(s) had volume node affinity conflict.' }] });
          p.event('Warning', 'FailedScheduling', '0/4 nodes are available: 4 node(s) had volume node affinity conflict.', { podLevel: true, component: 'default-scheduler' });
          break;
        default:
          // Nothing said: only its age can make it a signal (never ready within the allowance).
          break;
      }
    }
    p.status(status);
  };
}

function generated(seed: number): { snapshot: DeploymentSnapshot; normal: boolean } {
  const r = prng(seed);
  const normal = r.next() < 0.3;
  const b = new SnapshotBuilder('api', { replicas: r.int(1, 5) }).change((c) => void (c.image = `registry.example.com/api:v${seed}`), 1).readyPods(1, r.int(1, 3));
  b.newPods(r.int(1, 3), podState(r, normal));
  if (!normal && r.next() < 0.2) b.failedCreate((pod) => `pods "${pod}" is forbidden: ${r.pick(MESSAGES)}`, r.int(1, 4));
  if (!normal && r.next() < 0.3) b.deadlineExceeded();
  return { snapshot: b.build(), normal };
}

const severe = (f: { severity: string }) => f.severity === 'critical' || f.severity === 'error';

describe('never silent: generated rollouts', () => {
  const CASES = 400;
  it(`a failure signal means exit 1 with a finding quoting the cluster; young pods starting normally are healthy (${CASES} seeded cases)`, () => {
    let failing = 0;
    let healthy = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const { snapshot, normal } = generated(seed);
      const signals = rolloutFailureSignals(snapshot, new Date(snapshot.collectedAt));
      const findings = analyzeDeployment(snapshot);
      const context = `seed ${seed}: signals ${JSON.stringify(signals.map((s) => `${s.object} ${s.reason}`))}, findings ${JSON.stringify(findings.map((f) => `${f.code}/${f.severity}`))}`;
      if (normal) {
        expect(signals, context).toEqual([]);
        expect(findings.filter(severe), context).toEqual([]);
        healthy++;
        continue;
      }
      if (!signals.length) continue;
      failing++;
      expect(isFailing({ findings }), context).toBe(true);
      const said = JSON.stringify(findings.filter(severe).map((f) => [f.title, f.summary, f.evidence]));
      expect(signals.some((s) => said.includes(s.reason)), context).toBe(true);
    }
    // The generator must exercise both sides.
    expect(failing).toBeGreaterThan(CASES / 2);
    expect(healthy).toBeGreaterThan(CASES / 5);
  });
});

describe('history and youth are not failures', () => {
  it('a healthy deployment with old Failed pods (this revision and the last) has no error and exits 0', () => {
    const s = new SnapshotBuilder('web', { image: 'registry.example.com/web:v1' })
      .change((c) => void (c.image = 'registry.example.com/web:v2'), 3)
      .newPods(1, evicted)
      .complete()
      .readyPods(2, 3)
      .oldPods(1, evicted)
      .oldPods(1, crashLoop(['panic: boom']))
      .build();
    // The old revision's crashing pod is being replaced; the new revision serves.
    s.replicaSets[0]!.spec!.replicas = 0;
    const findings = analyzeDeployment(s);
    expect(findings.filter(severe)).toEqual([]);
    expect(isFailing({ findings })).toBe(false);
  });

  it('a rollout mid-way, its new pods created seconds ago, has no error', () => {
    const young = (seconds: number, state: PodState): PodState => (p) => {
      p.age(seconds);
      state(p);
    };
    const s = new SnapshotBuilder('web', { replicas: 4 })
      .change((c) => void (c.image = 'registry.example.com/web:v2'), 2)
      .readyPods(1, 3)
      .newPods(1, young(4, containerCreating))
      .newPods(1, young(12, warmingUp))
      .readyPods(2, 1)
      .build();
    expect(rolloutFailureSignals(s, new Date(s.collectedAt))).toEqual([]);
    expect(analyzeDeployment(s).filter(severe)).toEqual([]);
  });

  it('a fully available deployment gets no error crash loop from a container that crashed once and runs again', () => {
    const s = new SnapshotBuilder('web').change((c) => void (c.image = 'registry.example.com/web:v2'), 3).complete().readyPods(2, 2)
      .newPods(1, (p) => {
        running()(p);
        p.event('Warning', 'BackOff', `Back-off restarting failed container ${p.container} in pod ${p.described}`, { count: 3 });
        p.status({ ready: false, restartCount: 2, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
      })
      .complete()
      .build();
    expect(analyzeDeployment(s).filter(severe)).toEqual([]);
  });

  it('a pod never ready past its allowance, with nothing else said, is POD_NOT_READY quoting its Ready condition', () => {
    const s = new SnapshotBuilder('web').change((c) => void (c.image = 'registry.example.com/web:v2')).readyPods(1, 3)
      .newPods(1, (p) => p.status({ state: { running: { startedAt: p.pod.status!.startTime } } }))
      .build();
    const [f] = analyzeDeployment(s);
    expect(f).toMatchObject({ code: 'POD_NOT_READY', severity: 'error' });
    expect(f!.summary).toContain('ContainersNotReady: "containers with unready status: [web]"');
  });
});
