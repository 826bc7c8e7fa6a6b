/**
 * CLI cold start, whole processes side by side in one run: `deploy-medic
 * diagnose NAME -n NS` (node bin/deploy-medic.js, the compiled dist/) against
 * the seed runbook's seven kubectl commands, one after another, on the same
 * simulated cluster, and against the floor: a Node process that only imports
 * @kubernetes/client-node, as installed and as dist/ ships it (one bundled
 * module: src/adapters/kube/client-node.ts). For reference, a bare
 * `node -e 0` and the way the CLI ran before dist/ (TypeScript through tsx).
 *
 * Wall time: medians of ROUNDS rounds, the variants interleaved within each
 * round, every process run without instrumentation. Peak RSS: separate rounds,
 * after the timed ones; Node processes report their own maxRSS
 * (process.resourceUsage(), preloaded with --import) as they exit, kubectl's
 * is its VmHWM read from /proc every 2 ms while it runs (a lower bound; Go
 * processes settle early). Targets: diagnose within 1.5× of the kubectl
 * sequence, peak RSS ≤ 150 MiB.
 *
 * Run: npm run bench:cold-start [-- PODS EVENTS ROUNDS]   (defaults 300 5000 7, as bench:diagnose)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/deploy-medic.js');
const [PODS = 300, EVENTS = 5000, ROUNDS = 7] = process.argv.slice(2).map(Number);
const MIB = 1024 * 1024;

if (!existsSync(join(ROOT, 'dist/src/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run bench:cold-start does)');

// The simulated API server runs in its own process, so every client pays the same network and server costs.
const server = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/sim-server.ts'), String(PODS), String(EVENTS)], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(server.stdout, 'data')) as [Buffer];
const world = JSON.parse(line.toString()) as { kubeconfig: string; namespace: string; name: string; failingPod: string };
const { namespace, name, failingPod } = world;
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-cold-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, world.kubeconfig);
const rssReporter = join(dir, 'report-max-rss.mjs');
writeFileSync(rssReporter, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.MAX_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));\n");

interface Command {
  file: string;
  args: string[];
}
const node = (...args: string[]): Command => ({ file: process.execPath, args });
const kubectl = (...args: string[]): Command => ({ file: 'kubectl', args: [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, 'kube-cache')}`, '-n', namespace, ...args] });

/** The diagnosis steps of the runbook in shared/seeds (000, "Diagnose"): seven kubectl commands, one after another. */
const RUNBOOK: Command[] = [
  kubectl('rollout', 'status', `deployment/${name}`, '--watch=false'),
  kubectl('describe', 'deployment', name),
  kubectl('get', 'rs', '-l', `app=${name}`),
  kubectl('get', 'pods', '-l', `app=${name}`),
  kubectl('describe', 'pod', failingPod),
  kubectl('get', 'events', '--field-selector', `involvedObject.name=${failingPod}`, '--sort-by=.lastTimestamp'),
  kubectl('logs', failingPod, '--previous'),
];

const VARIANTS: Array<{ key: string; label: string; commands: Command[] }> = [
  { key: 'medic', label: `deploy-medic diagnose ${name} -n ${namespace}`, commands: [node(BIN, 'diagnose', name, '-n', namespace, '--kubeconfig', kubeconfig)] },
  { key: 'runbook', label: 'the runbook: 7 kubectl commands in sequence', commands: RUNBOOK },
  { key: 'floor', label: 'floor: node importing @kubernetes/client-node', commands: [node('--input-type=module', '-e', "await import('@kubernetes/client-node')")] },
  {
    key: 'floorBundled',
    label: 'floor as shipped: node importing dist/ bundle of client-node',
    commands: [node('--input-type=module', '-e', "await import('./dist/src/adapters/kube/client-node.js')")],
  },
  { key: 'bare', label: 'reference: node -e 0', commands: [node('-e', '0')] },
  {
    key: 'tsx',
    label: 'reference: diagnose from TypeScript through tsx (the CLI before dist/)',
    commands: [node('--import', 'tsx', '--input-type=module', '-e', "const { main } = await import('./src/cli.ts'); process.exitCode = await main(process.argv.slice(1));", 'diagnose', name, '-n', namespace, '--kubeconfig', kubeconfig)],
  },
];

/** Runs one process to its end; with `peak`, measures its peak RSS in bytes. Exit codes are not judged (diagnose exits 1: the rollout is failing). */
async function run(c: Command, peak = false): Promise<{ ms: number; rss: number }> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const isNode = c.file === process.execPath;
  const env = { ...process.env, NO_COLOR: '1', ...(peak && isNode ? { NODE_OPTIONS: `--import=${pathToFileURL(rssReporter).href}`, MAX_RSS_FILE: rssFile } : {}) };
  const t = performance.now();
  const child = spawn(c.file, c.args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let hwm = 0;
  const poll = peak && !isNode ? setInterval(() => (hwm = Math.max(hwm, vmHwm(child.pid!))), 2) : undefined;
  const [code] = (await once(child, 'close')) as [number | null];
  const ms = performance.now() - t;
  clearInterval(poll);
  if (code !== 0 && code !== 1) throw new Error(`${c.file} ${c.args.join(' ')} exited ${code}: ${stderr}`);
  return { ms, rss: peak ? (isNode ? Number(readFileSync(rssFile, 'utf8')) : hwm) : 0 };
}

function vmHwm(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0; // exited between two polls
  }
}

async function runAll(commands: Command[], peak = false): Promise<{ ms: number; rss: number }> {
  let ms = 0;
  let rss = 0;
  for (const c of commands) {
    const r = await run(c, peak);
    ms += r.ms;
    rss = Math.max(rss, r.rss);
  }
  return { ms, rss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  // Warm up once: kubectl's discovery cache, the OS page cache, tsx's transform cache.
  for (const v of VARIANTS) await runAll(v.commands);
  const times = new Map<string, number[]>(VARIANTS.map((v) => [v.key, []]));
  for (let i = 0; i < ROUNDS; i++) {
    // A different order each round, so no variant always runs right after the same one.
    for (let j = 0; j < VARIANTS.length; j++) {
      const v = VARIANTS[(i + j) % VARIANTS.length]!;
      times.get(v.key)!.push((await runAll(v.commands)).ms);
    }
  }
  const peaks = new Map<string, number>();
  for (let i = 0; i < 3; i++) for (const v of VARIANTS) peaks.set(v.key, Math.max(peaks.get(v.key) ?? 0, (await runAll(v.commands, true)).rss));

  const ms = (key: string) => median(times.get(key)!);
  const rss = (key: string) => peaks.get(key)! / MIB;
  console.log(`Cold start on ${process.version}: a deployment with ${PODS} pods, ${EVENTS} namespace events; whole processes, medians of ${ROUNDS} rounds`);
  for (const v of VARIANTS) console.log(`  ${v.label.padEnd(72)} ${ms(v.key).toFixed(0).padStart(5)} ms   peak RSS ${rss(v.key).toFixed(0).padStart(4)} MiB`);
  const ratio = ms('medic') / ms('runbook');
  console.log(`  deploy-medic / kubectl sequence: ${ratio.toFixed(2)}x (target ≤ 1.5x) ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
  console.log(`  deploy-medic / floor: ${(ms('medic') / ms('floor')).toFixed(2)}x (/ the floor as shipped: ${(ms('medic') / ms('floorBundled')).toFixed(2)}x); before dist/ (tsx) / now: ${(ms('tsx') / ms('medic')).toFixed(2)}x`);
  console.log(`  deploy-medic peak RSS: ${rss('medic').toFixed(0)} MiB (target ≤ 150 MiB) ${rss('medic') <= 150 ? 'MET' : 'NOT MET'}; kubectl's largest: ${rss('runbook').toFixed(0)} MiB`);
} finally {
  server.kill('SIGTERM');
}
