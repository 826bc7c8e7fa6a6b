/**
 * The leader elector (services/leader-election.ts) with its real Lease adapter against the
 * Kubernetes simulator over HTTP, three candidates, each through a TCP proxy of its own so one
 * can be cut off from the API server. Lease 2 s, renew deadline 1.5 s, retry 0.25 s: client-go's
 * 15/10/2 shortened, in the same proportions that matter (deadline < lease).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '../../src/adapters/kube/client-node.js';
import { KubeLeaderLease } from '../../src/adapters/kube/lease.js';
import { systemClock } from '../../src/ports.js';
import { LeaderElector } from '../../src/services/leader-election.js';
import { simKubeconfig } from '../../src/sim/kube/kubeconfig.js';
import { silent } from '../incidents/world.js';
import { startSim, type SimFixture } from '../helpers/sim.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const TIMINGS = { leaseDurationMs: 2_000, renewDeadlineMs: 1_500, retryPeriodMs: 250 };
/** Timers and loopback HTTP on a shared two-core machine: what a bound below allows beyond the design's. */
const SCHEDULING_SLACK_MS = 300;

let f: SimFixture;
beforeAll(async () => {
  f = await startSim();
  await f.kubectl.ok('create', 'namespace', 'ops');
});
afterAll(() => f?.sim.stop());

interface Candidate {
  name: string;
  elector: LeaderElector;
  proxy: TcpProxy;
  /** When its leader work started and stopped (wall clock), in order. */
  work: Array<{ what: 'start' | 'stop'; at: number }>;
  storeDown: boolean;
}

let leaseName = '';
let candidates: Candidate[] = [];
let round = 0;

async function candidate(name: string): Promise<Candidate> {
  const url = new URL(f.sim.url);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
  const kc = new KubeConfig();
  kc.loadFromString(simKubeconfig(`http://127.0.0.1:${proxy.port}`));
  const c: Candidate = { name, proxy, work: [], storeDown: false, elector: undefined as unknown as LeaderElector };
  c.elector = new LeaderElector({
    lease: new KubeLeaderLease(kc, 'ops', leaseName, TIMINGS.renewDeadlineMs),
    clock: systemClock,
    log: silent,
    options: { identity: name, ...TIMINGS },
    work: {
      start: async () => void c.work.push({ what: 'start', at: Date.now() }),
      stop: async () => void c.work.push({ what: 'stop', at: Date.now() }),
    },
    canLead: async () => {
      if (c.storeDown) throw new Error('the store cannot be reached');
    },
  });
  return c;
}

async function startCandidates(n: number): Promise<Candidate[]> {
  leaseName = `election-${++round}`;
  candidates = await Promise.all(Array.from({ length: n }, (_, i) => candidate(`replica-${String.fromCharCode(97 + i)}`)));
  for (const c of candidates) c.elector.start();
  return candidates;
}

afterEach(async () => {
  await Promise.all(candidates.map((c) => c.elector.stop()));
  await Promise.all(candidates.map((c) => c.proxy.close()));
  candidates = [];
});

const leaders = () => candidates.filter((c) => c.elector.isLeader());
const readLease = () => f.get<{ spec: { holderIdentity?: string; leaseDurationSeconds: number; leaseTransitions: number; renewTime: string } }>(`/apis/coordination.k8s.io/v1/namespaces/ops/leases/${leaseName}`);

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const leaderOtherThan = (c: Candidate) => until(`a leader other than ${c.name}`, () => leaders().find((l) => l !== c));

/** Every candidate's leader work as [start, stop) intervals: no two may overlap. */
function expectOneLeaderAtATime(): void {
  const intervals = candidates.flatMap((c) => {
    const out: Array<{ name: string; from: number; to: number }> = [];
    for (const [i, e] of c.work.entries()) if (e.what === 'start') out.push({ name: c.name, from: e.at, to: c.work[i + 1]?.at ?? Infinity });
    return out;
  });
  for (const a of intervals) for (const b of intervals) if (a !== b) expect(a.to <= b.from || b.to <= a.from, `${a.name} [${a.from}, ${a.to}) overlaps ${b.name} [${b.from}, ${b.to})`).toBe(true);
}

describe('leader election on a Lease', () => {
  it('three candidates: one leader, named in the Lease, and it stays the one while it renews', async () => {
    await startCandidates(3);
    const leader = await until('a leader', () => leaders()[0]);
    const first = await readLease();
    expect(first.spec).toMatchObject({ holderIdentity: leader.name, leaseDurationSeconds: 2 });
    // Several renewals later: the same single leader.
    const renewals = new Set<string>();
    await until('three renewals', async () => (renewals.add((await readLease()).spec.renewTime).size > 3 ? true : undefined));
    expect(leaders()).toEqual([leader]);
    expect((await readLease()).spec).toMatchObject({ holderIdentity: leader.name, leaseTransitions: first.spec.leaseTransitions });
    expect(candidates.filter((c) => c !== leader).every((c) => c.work.length === 0)).toBe(true);
  });

  it('a leader cut off from the API server stops its work within the renew deadline, before another takes over within lease + retry', async () => {
    await startCandidates(3);
    const old = await until('a leader', () => leaders()[0]);
    const cutAt = Date.now();
    old.proxy.cut();
    const next = await leaderOtherThan(old);
    const stoppedAt = old.work.at(-1);
    expect(stoppedAt?.what).toBe('stop');
    const startedAt = await until('the new leader work to start', () => next.work.at(-1));
    expect(startedAt.what).toBe('start');
    expect(stoppedAt!.at).toBeLessThanOrEqual(startedAt.at);
    expect(stoppedAt!.at - cutAt).toBeLessThanOrEqual(TIMINGS.renewDeadlineMs + SCHEDULING_SLACK_MS);
    expect(startedAt.at - cutAt).toBeLessThanOrEqual(TIMINGS.leaseDurationMs + TIMINGS.retryPeriodMs + SCHEDULING_SLACK_MS);
    expect((await readLease()).spec).toMatchObject({ holderIdentity: next.name, leaseTransitions: 1 });
    // Back on the network, the old leader reads the Lease again and follows the new holder.
    expect(old.elector.holder()).toBe(old.name);
    old.proxy.restore();
    await until(`${old.name} to see ${next.name} holding the Lease`, () => (old.elector.holder() === next.name ? true : undefined));
    expect(leaders()).toEqual([next]);
    expectOneLeaderAtATime();
  });

  it('a leader stopped gracefully releases the Lease: a standby takes it at its next attempt', async () => {
    await startCandidates(2);
    const old = await until('a leader', () => leaders()[0]);
    const standby = candidates.find((c) => c !== old)!;
    await old.elector.stop();
    expect(old.work.at(-1)?.what).toBe('stop');
    await until(`${standby.name} to lead`, () => (standby.elector.isLeader() ? true : undefined));
    expect((await readLease()).spec).toMatchObject({ holderIdentity: standby.name, leaseTransitions: 1, leaseDurationSeconds: 2 });
    expectOneLeaderAtATime();
  });

  it('a leader whose store fails stops its work and hands over; a candidate without its store never leads', async () => {
    await startCandidates(3);
    const old = await until('a leader', () => leaders()[0]);
    const [second, third] = candidates.filter((c) => c !== old) as [Candidate, Candidate];
    third.storeDown = true;
    old.storeDown = true;
    await until(`${second.name} to lead`, () => (second.elector.isLeader() ? true : undefined));
    expect(old.work.at(-1)?.what).toBe('stop');
    expect(third.work).toEqual([]);
    expect((await readLease()).spec.holderIdentity).toBe(second.name);
    old.storeDown = false;
    await until(`${old.name} to see ${second.name} holding the Lease`, () => (old.elector.holder() === second.name ? true : undefined));
    expect(leaders()).toEqual([second]);
    expectOneLeaderAtATime();
  });
});
