import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `npm test` starts with scripts/system-packages.mjs: it runs the script on a
 * PATH holding only node and kubectl, so htpasswd (apache2-utils) and openssl
 * are missing, and checks what it tells someone who cannot install them.
 */
const script = new URL('../../scripts/system-packages.mjs', import.meta.url).pathname;
const which = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();

/** A directory anyone may read (a CI clone in `mktemp -d` is not): the bare PATH, and a copy of the script for nobody to run. */
function openDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'medic-bare-path-'));
  chmodSync(dir, 0o755);
  return dir;
}

function bareBin(withApt: boolean): string {
  const dir = openDir();
  for (const name of ['node', 'kubectl', ...(withApt ? ['apt-get'] : [])]) symlinkSync(which(name), join(dir, name));
  return dir;
}

function run(path: string, asNobody: boolean) {
  if (!asNobody) return spawnSync(process.execPath, [script], { encoding: 'utf8', env: { PATH: path } });
  const copy = join(openDir(), 'system-packages.mjs');
  copyFileSync(script, copy);
  chmodSync(copy, 0o644);
  return spawnSync(which('setpriv'), ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, copy], { encoding: 'utf8', env: { PATH: path } });
}

describe('npm test’s system packages', () => {
  it('stops before any test, naming what is missing and the exact apt-get command, when it may not install', () => {
    const r = run(bareBin(true), true);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('  apache2-utils: htpasswd, for the registry basic-auth cases\n');
    expect(r.stderr).toContain('  openssl: certificates for the registry token-auth and TLS cases\n');
    expect(r.stderr).toMatch(/\n {2}sudo apt-get update && sudo apt-get install -y --no-install-recommends (\S+ )*apache2-utils openssl(\s|$)/);
  });

  it('without apt-get, says to use the system’s package manager', () => {
    const r = run(bareBin(false), false);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Install them with your system's package manager (Debian names above)");
  });

  it('without kubectl, says it is required and not a Debian package', () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-bare-path-'));
    symlinkSync(process.execPath, join(dir, 'node'));
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { PATH: dir } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('kubectl (v1.32) is required and not on PATH');
  });

  it('passes silently on this machine, where everything is installed', () => {
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
