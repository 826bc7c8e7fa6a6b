/**
 * vitest globalSetup. Tests spawn `bin/deploy-medic.js`, which runs the compiled
 * JavaScript in dist/: before any test runs, dist/ is rebuilt when a source is
 * newer than the last build, so no test ever runs stale code (a single test file
 * run with `npx vitest run FILE` included). Several test runs may share this
 * working tree: a lock directory makes the second one wait for the first build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/** Written by the last step of `npm run build` (scripts/bundle-client-node.mjs). */
const STAMP = join(ROOT, 'dist/.build-stamp');
const LOCK = join(ROOT, 'dist/.build-lock');
const INPUTS = ['src', 'commands', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestInput(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows as its directory's change
  for (const e of readdirSync(path, { withFileTypes: true })) if (!e.name.endsWith('.test.ts')) newest = Math.max(newest, newestInput(join(path, e.name)));
  return newest;
}

const stale = () => {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return Math.max(...INPUTS.map((p) => newestInput(join(ROOT, p)))) > built;
};

function build(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  } catch (e) {
    // Type errors still emit JavaScript; `npm test` type-checks on its own and fails on them.
    if (!existsSync(join(ROOT, 'dist/src/cli.js'))) throw e;
    console.warn('build-dist: tsc reported errors; testing the JavaScript it emitted');
  }
  execFileSync(process.execPath, ['scripts/bundle-client-node.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export default async function ensureDistBuilt(): Promise<void> {
  if (!stale()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another run is building; a lock older than any build is left over from a killed one.
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) rmSync(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (stale()) build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
