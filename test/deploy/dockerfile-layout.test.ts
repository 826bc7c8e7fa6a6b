import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSimulator } from '../../src/sim/kube/simulator.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import { parseDockerfile, runCommands } from '../helpers/dockerfile.js';
import { buildStages, type BuiltStage } from '../helpers/dockerfile-layout.js';
import { PRODUCTION_OVERLAY } from '../helpers/kustomize.js';
import { startSim } from '../helpers/sim.js';
import { BOT_TOKEN, SIGNING_SECRET, startSlackEmulator } from '../helpers/slack.js';

/**
 * deploy/Dockerfile without a Docker engine: its stages carried out in a
 * temporary directory (test/helpers/dockerfile-layout.ts), the runtime
 * stage's tree made read-only, and its ENTRYPOINT + CMD started from it as
 * its USER with only a HOME, a TMPDIR and a data directory writable, as the
 * Deployment runs it (readOnlyRootFilesystem, /tmp and /data volumes).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const DOCKERFILE = join(ROOT, 'deploy/Dockerfile');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };

let work: string;
let image: BuiltStage;
let app: string;
let sim: KubeSimulator;
let slack: SlackEmulator;
let child: ChildProcess;
let port: number;
const output: string[] = [];
const exited = { code: undefined as number | null | undefined };

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'medic-image-'));
  image = buildStages(DOCKERFILE, ROOT, work).at(-1)!;
  app = join(image.root, image.workdir);

  // The pod's volumes: the policy ConfigMap (read-only), the data claim and /tmp (owned by the image's user, as fsGroup makes them).
  const volumes = join(work, 'volumes');
  const [config, data, home, tmp] = [join(volumes, 'config'), join(volumes, 'data'), join(volumes, 'home'), join(volumes, 'tmp')];
  for (const d of [config, data, home, tmp]) mkdirSync(d, { recursive: true });
  cpSync(join(PRODUCTION_OVERLAY, 'policy.yaml'), join(config, 'policy.yaml'));
  sim = (await startSim()).sim;
  slack = await startSlackEmulator();
  writeFileSync(join(tmp, 'kubeconfig'), sim.kubeconfig());
  chmodSync(work, 0o755);
  chmodSync(volumes, 0o755);
  const user = process.getuid?.() === 0 ? image.user : undefined;
  if (user) for (const d of [data, home, tmp]) chownSync(d, user.uid, user.gid);
  if (user) chownSync(join(tmp, 'kubeconfig'), user.uid, user.gid);
  // Everything the image holds is read-only (and, as in the image, owned by root: COPY without --chown).
  chmodRecursive(image.root, false);

  const [command, ...args] = [...image.entrypoint, ...image.cmd];
  expect(command).toBe('node');
  child = spawn(process.execPath, args, {
    cwd: app,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    env: {
      ...image.env,
      PATH: process.env.PATH,
      HOME: home,
      TMPDIR: tmp,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      KUBECONFIG: join(tmp, 'kubeconfig'),
      DEPLOY_MEDIC_CONFIG: join(config, 'policy.yaml'),
      DATABASE_URL: `sqlite://${join(data, 'deploy-medic.db')}`,
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.on('exit', (code) => (exited.code = code));
  const said = (c: Buffer) => output.push(...c.toString('utf8').split('\n').filter(Boolean));
  child.stderr!.on('data', said);
  port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not say it listens within 30 s:\n${output.join('\n')}`)), 30_000);
    child.once('exit', (code) => fail(new Error(`serve exited ${code}:\n${output.join('\n')}`)));
    child.stdout!.on('data', (c: Buffer) => {
      said(c);
      const m = output.map((l) => /deploy-medic listening on port (\d+)/.exec(l)).find(Boolean);
      if (m) {
        clearTimeout(timer);
        done(Number(m[1]));
      }
    });
  });
}, 180_000);

afterAll(async () => {
  if (child && exited.code === undefined) child.kill('SIGKILL');
  await slack?.stop();
  await sim?.stop();
  if (work) {
    chmodRecursive(work, true);
    rmSync(work, { recursive: true, force: true });
  }
});

describe('deploy/Dockerfile, carried out without Docker', () => {
  it(`starts serve from the read-only image as its user, and answers /healthz and /readyz`, async () => {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    let ready: Response | undefined;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (ready.status === 200) break;
    }
    expect(ready?.status, await ready?.text()).toBe(200);
    if (process.getuid?.() === 0) {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1];
      expect(Number(uid)).toBe(image.user!.uid);
    }
    // The store is on the data volume; nothing the image holds could be written.
    expect(existsSync(join(work, 'volumes/data/deploy-medic.db'))).toBe(true);
    expect(output.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });

  it('stops cleanly on SIGTERM, as the kubelet stops it', async () => {
    const done = new Promise<number | null>((r) => (exited.code !== undefined ? r(exited.code) : child.once('exit', (code) => r(code))));
    child.kill('SIGTERM');
    expect(await done).toBe(0);
  });

  it('runs as a numeric non-root user, exposes the port serve listens on by default', () => {
    expect(image.user!.uid).toBeGreaterThan(0);
    expect(image.exposed).toEqual(['3000']);
    expect(image.env.NODE_ENV).toBe('production');
    expect(parseDockerfile(readFileSync(DOCKERFILE, 'utf8')).map((s) => s.base)).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim']);
  });

  it('holds the compiled output and production dependencies only', () => {
    expect(readdirSync(app).sort()).toEqual(['bin', 'dist', 'manifest.yml', 'node_modules', 'package-lock.json', 'package.json']);
    const modules = join(app, 'node_modules');
    for (const tool of ['typescript', 'vitest', 'tsx', 'esbuild', '@esbuild', 'vite']) expect(existsSync(join(modules, tool)), tool).toBe(false);
    const devOnly = Object.entries(lock.packages).filter(([p, meta]) => p.startsWith('node_modules/') && meta.dev);
    expect(devOnly.length).toBeGreaterThan(10);
    expect(devOnly.filter(([p]) => existsSync(join(app, p))).map(([p]) => p)).toEqual([]);
    const dist = files(join(app, 'dist'));
    expect(dist).toContain('src/cli.js');
    expect(dist.filter((f) => !f.endsWith('.js'))).toEqual([]);
    expect(dist.filter((f) => /(^|\/)(test|bench)\//.test(f) || f.endsWith('.test.js'))).toEqual([]);
  });
});

describe('the Dockerfile reader refuses what it does not understand', () => {
  const refuse = (text: string) => () => {
    for (const stage of parseDockerfile(text)) for (const i of stage.instructions) if (i.keyword === 'RUN') runCommands(i);
  };
  it('an unknown instruction, an unknown flag, shell syntax beyond &&', () => {
    expect(refuse('FROM node:20\nADD https://example.com/x /x')).toThrow('Dockerfile line 2: ADD is not an instruction this test knows how to carry out');
    expect(refuse('FROM node:20\nCOPY --chown=node src ./src')).toThrow('Dockerfile line 2: COPY --chown is not a flag this test knows');
    expect(refuse('FROM node:20\nRUN npm ci || true')).toThrow('RUN uses shell syntax this test does not carry out ("|"');
  });

  it('a RUN command it has no stand-in for', () => {
    const work = mkdtempSync(join(tmpdir(), 'medic-dockerfile-'));
    writeFileSync(join(work, 'Dockerfile'), 'FROM node:20-bookworm-slim\nWORKDIR /app\nRUN apt-get install -y curl\n');
    expect(() => buildStages(join(work, 'Dockerfile'), ROOT, work)).toThrow('`apt-get install -y curl` is not a command this test knows how to carry out');
  });
});

/** Every file under a directory, relative to it. */
function files(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir, join(prefix, e.name)) : [join(prefix, e.name)]));
}

/** chmod -R a-w, as the test makes the image read-only; u+w to clean up. */
const chmodRecursive = (path: string, writable: boolean) => execFileSync('chmod', ['-R', writable ? 'u+w' : 'a-w', path]);
