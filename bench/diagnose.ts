/**
 * Diagnosis of a 300-pod deployment in a namespace with 5,000 events, against
 * the seed runbook's kubectl sequence on the same simulator, in the same run
 * (target: at least 10× faster), and against the floor: the collector's own
 * reads, replayed with fetch and JSON.parse and no analysis.
 * Run: npm run bench:diagnose
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { KubeCluster } from '../src/adapters/kube/cluster.js';
import { collectDeploymentSnapshot } from '../src/adapters/kube/collector.js';
import { loadKubeConfig } from '../src/adapters/kube/kubeconfig.js';
import { systemClock } from '../src/ports.js';
import { diagnoseDeployment } from '../src/services/diagnose.js';
import { recordReads, replayReads } from './read-floor.js';

const run = promisify(execFile);
const PODS = 300;
const EVENTS = 5000;
const ROUNDS = 5;

// The simulated API server runs in its own process, so both clients pay the same network and server costs.
const server = spawn(process.execPath, ['--import', 'tsx', new URL('./sim-server.ts', import.meta.url).pathname, String(PODS), String(EVENTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(server.stdout, 'data')) as [Buffer];
const world = JSON.parse(line.toString()) as { url: string; kubeconfig: string; namespace: string; name: string; failingPod: string };
const { namespace, name, failingPod } = world;
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, world.kubeconfig);

const cluster = new KubeCluster(loadKubeConfig({ kubeconfig }));
const source = { collect: () => collectDeploymentSnapshot(cluster, undefined, { namespace, name }, systemClock) };

const kubectl = (...args: string[]) => run('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, 'cache')}`, '-n', namespace, ...args], { maxBuffer: 256 * 1024 * 1024 }).catch((e: { stdout?: string }) => e);
/** The diagnosis steps of the runbooks in shared/seeds, one kubectl after another. */
async function runbook(): Promise<void> {
  await kubectl('rollout', 'status', `deployment/${name}`, '--watch=false');
  await kubectl('get', 'rs', '-l', `app=${name}`);
  await kubectl('get', 'pods', '-l', `app=${name}`);
  await kubectl('describe', 'pod', failingPod);
  await kubectl('get', 'events', '--field-selector', `involvedObject.name=${failingPod}`, '--sort-by=.lastTimestamp');
  await kubectl('logs', failingPod, '--previous');
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm every path once (discovery cache, JIT), recording the collector's reads for the floor, then measure alternately.
const report = await diagnoseDeployment(source);
const rounds = await recordReads(() => source.collect());
const url = new URL(world.url).origin;
await replayReads(url, rounds);
await runbook();
const ours: number[] = [];
const floor: number[] = [];
const theirs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  ours.push(await time(() => diagnoseDeployment(source)));
  floor.push(await time(() => replayReads(url, rounds)));
  theirs.push(await time(runbook));
}
server.kill('SIGTERM');

const a = median(ours);
const f = median(floor);
const b = median(theirs);
console.log(`deployment with ${PODS} pods, ${EVENTS} namespace events; ${ROUNDS} rounds, medians:`);
console.log(`  deploy-medic diagnosis:  ${a.toFixed(0)} ms  (root cause ${report.findings[0]?.code ?? 'none'})`);
console.log(`  floor (same reads, fetch + JSON.parse): ${f.toFixed(0)} ms  (${rounds.reduce((n, r) => n + r.length, 0)} reads in ${rounds.length} dependent rounds)`);
console.log(`  runbook kubectl sequence: ${b.toFixed(0)} ms  (6 commands)`);
console.log(`  diagnosis / floor: ${(a / f).toFixed(2)}x`);
console.log(`  ratio: ${(b / a).toFixed(1)}x faster (target ≥ 10x) ${b / a >= 10 ? 'MET' : 'NOT MET'}`);
