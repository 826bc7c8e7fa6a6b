import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * `deploy-medic rollout-status` against real `kubectl rollout status`, both
 * watching the same Deployment of the simulator at the same time: the same
 * status lines on stdout, the same `error:` line and exit code when it fails,
 * and after that, ours alone, the diagnosis.
 */
let f: SimFixture;
const ns = ['-n', 'production'];
beforeAll(async () => {
  f = await startSim({ scenarios: ['healthy', 'rollout-paused'] });
});
afterAll(() => f.sim.stop());

interface Watcher {
  /** Resolves once the process has printed its first status line (it has listed the Deployment and is watching). */
  started: Promise<void>;
  result: Promise<{ code: number; stdout: string; stderr: string }>;
}

function watcher(command: string, args: string[]): Watcher {
  const child = spawn(command, args, { env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let begin!: () => void;
  const started = new Promise<void>((r) => (begin = r));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('\n')) begin();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.includes('\n')) begin();
  });
  const result = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      begin();
      resolve({ code: code ?? -1, stdout, stderr });
    }),
  );
  return { started, result };
}

const cacheDir = mkdtempSync(join(tmpdir(), 'medic-kubectl-cache-'));

/** kubectl and deploy-medic on the same Deployment; sim time moves in steps once both watch, until both have ended. */
async function bothWatch(name: string, timeout: string, advance: { seconds: number; step: number }) {
  const kubeconfig = f.kubectl.kubeconfigPath;
  f.sim.advance(0); // let the controllers act on the last write before either lists
  const theirs = watcher('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`, 'rollout', 'status', `deployment/${name}`, ...ns, `--timeout=${timeout}`]);
  const ours = watcher(process.execPath, [BIN, 'rollout-status', name, ...ns, '--kubeconfig', kubeconfig, '--timeout', timeout]);
  await Promise.all([theirs.started, ours.started]);
  let done = false;
  void Promise.all([theirs.result, ours.result]).then(() => (done = true));
  for (let t = 0; t < advance.seconds && !done; t += advance.step) {
    await new Promise((r) => setTimeout(r, 50));
    f.sim.advance(advance.step * 1000);
  }
  return { kubectl: await theirs.result, medic: await ours.result };
}

describe('deploy-medic rollout-status, side by side with kubectl rollout status', () => {
  it('a rollout that succeeds: the same waiting lines and the same success line, exit 0', async () => {
    await f.kubectl.ok('set', 'image', 'deployment/web-frontend', 'web-frontend=registry.example.com/web-frontend:v1.4.0', ...ns);
    const { kubectl, medic } = await bothWatch('web-frontend', '60s', { seconds: 300, step: 5 });
    expect(kubectl.code, kubectl.stderr).toBe(0);
    expect(kubectl.stdout).toMatch(/^Waiting for deployment "web-frontend" rollout to finish: \d+ out of 3 new replicas have been updated\.\.\.\n/);
    expect(kubectl.stdout).toMatch(/\ndeployment "web-frontend" successfully rolled out\n$/);
    expect(medic).toEqual({ code: 0, stdout: kubectl.stdout, stderr: '' });
  });

  it('a rollout that exceeds its progress deadline: the same lines and error, exit 1, then the diagnosis', async () => {
    await f.kubectl.ok('set', 'image', 'deployment/web-frontend', 'web-frontend=registry.example.com/web-frontend:v9.9.9', ...ns);
    const { kubectl, medic } = await bothWatch('web-frontend', '60s', { seconds: 900, step: 30 });
    expect(kubectl.code).toBe(1);
    expect(kubectl.stdout).toContain('Waiting for deployment "web-frontend" rollout to finish: 1 out of 3 new replicas have been updated...\n');
    expect(kubectl.stderr).toBe('error: deployment "web-frontend" exceeded its progress deadline\n');
    expect(medic.code).toBe(1);
    expect(medic.stderr).toBe(kubectl.stderr);
    expect(medic.stdout.startsWith(kubectl.stdout), medic.stdout).toBe(true);
    const diagnosis = medic.stdout.slice(kubectl.stdout.length);
    expect(diagnosis).toMatch(/^\nproduction\/web-frontend {2}revision \d+ {2}registry\.example\.com\/web-frontend:v9\.9\.9\n/);
    expect(diagnosis).toContain('Rollout:  FAILED  deployment "web-frontend" exceeded its progress deadline');
    expect(diagnosis).toContain('IMAGE_TAG_NOT_FOUND');
    await f.kubectl.ok('rollout', 'undo', 'deployment/web-frontend', ...ns);
    f.sim.advance(120_000);
  });

  it('--timeout: the same waiting line and "timed out" error, exit 1, then the diagnosis', async () => {
    const { kubectl, medic } = await bothWatch('cart-service', '2s', { seconds: 0, step: 1 });
    expect(kubectl).toEqual({ code: 1, stdout: 'Waiting for deployment "cart-service" rollout to finish: 0 out of 3 new replicas have been updated...\n', stderr: 'error: timed out waiting for the condition\n' });
    expect(medic.code).toBe(1);
    expect(medic.stderr).toBe(kubectl.stderr);
    expect(medic.stdout.startsWith(kubectl.stdout), medic.stdout).toBe(true);
    expect(medic.stdout.slice(kubectl.stdout.length)).toContain('ROLLOUT_PAUSED');
  });
});

describe('deploy-medic rollout-status, the rest of its contract', () => {
  const medic = (...args: string[]) => runCli([...args, '--kubeconfig', f.kubectl.kubeconfigPath]);

  it('--output json: status lines on stderr, one JSON document on stdout', async () => {
    const ok = await medic('rollout-status', 'web-frontend', ...ns, '--output', 'json');
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('deployment "web-frontend" successfully rolled out\n');
    expect(JSON.parse(ok.stdout)).toEqual({ namespace: 'production', name: 'web-frontend', state: 'complete', message: 'deployment "web-frontend" successfully rolled out' });

    const late = await medic('rollout-status', 'cart-service', ...ns, '--output', 'json', '--timeout', '1s');
    expect(late.code).toBe(1);
    const doc = JSON.parse(late.stdout) as { state: string; error: string; diagnosis: { findings: Array<{ code: string }> } };
    expect(doc).toMatchObject({ name: 'cart-service', state: 'paused', error: 'timed out waiting for the condition' });
    expect(doc.diagnosis.findings.map((x) => x.code)).toContain('ROLLOUT_PAUSED');
  });

  it("keeps following through dropped watches and API errors, as kubectl's informer does", async () => {
    await f.kubectl.ok('set', 'image', 'deployment/web-frontend', 'web-frontend=registry.example.com/web-frontend:v1.4.1', ...ns);
    f.sim.advance(0);
    f.sim.faults.set([
      { path: '/deployments$', watch: true, status: 503, times: 2 },
      { path: '/deployments$', watch: true, dropAfterMs: 300 },
    ]);
    try {
      const run = runCli(['rollout-status', 'web-frontend', ...ns, '--kubeconfig', f.kubectl.kubeconfigPath, '--timeout', '60s']);
      let done = false;
      void run.then(() => (done = true));
      // Slowly enough that several watches are dropped and resumed on the way.
      for (let t = 0; t < 300 && !done; t += 5) {
        await new Promise((r) => setTimeout(r, 150));
        f.sim.advance(5000);
      }
      const r = await run;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/\ndeployment "web-frontend" successfully rolled out\n$/);
      expect(r.stderr).toContain('deploy-medic rollout-status: The Kubernetes API returned an error');
      expect(r.stderr).toContain('trying again in 0.5 s');
    } finally {
      f.sim.faults.clear();
    }
  });

  it('bad input and a missing deployment: a message on stderr and exit 2, as for every command', async () => {
    for (const [args, message] of [
      [['rollout-status', 'web-frontend', ...ns, '--timeout', '10'], '--timeout: expected a duration such as 90s, 10m or 1h30m (0 waits forever), got "10"'],
      [['rollout-status', 'web-frontend', ...ns, '--timeout=-1s'], '--timeout: expected a duration'],
      [['rollout-status', 'nope', ...ns], 'Not found: deployment "nope" not found in namespace "production"'],
      [['rollout-status', ...ns], 'missing the deployment name'],
    ] as const) {
      const r = await medic(...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
  });
});
