#!/usr/bin/env node
/**
 * First step of `npm test`: the real components the tests run against come
 * from Debian's packages. Missing ones are installed with apt-get when this
 * runs as root; otherwise it stops before any test runs, printing the exact
 * command. kubectl is not a Debian package: it must be on the machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (name) => (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
const postgresBin = () => {
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'postgres')));
};

/** What each package gives the tests, and how to tell it is there. */
const PACKAGES = [
  { name: 'docker-registry', why: 'a real OCI registry for the image checks', present: () => onPath('docker-registry') || existsSync('/usr/bin/docker-registry') },
  { name: 'apache2-utils', why: 'htpasswd, for the registry basic-auth cases', present: () => onPath('htpasswd') },
  { name: 'openssl', why: 'certificates for the registry token-auth and TLS cases', present: () => onPath('openssl') },
  { name: 'chromium', why: 'the playground browser test (playwright-core drives /usr/bin/chromium)', present: () => existsSync('/usr/bin/chromium') },
  { name: 'postgresql', why: 'a real PostgreSQL for the store and the replicas', present: postgresBin },
];

const missing = PACKAGES.filter((p) => !p.present());
if (!onPath('kubectl')) {
  process.stderr.write('npm test: kubectl (v1.32) is required and not on PATH; it is not a Debian package: install it from https://kubernetes.io/docs/tasks/tools/\n');
  process.exit(1);
}
if (!missing.length) process.exit(0);

const names = missing.map((p) => p.name);
const command = ['apt-get', 'install', '-y', '--no-install-recommends', ...names];
const isRoot = process.getuid?.() === 0;
const hasApt = onPath('apt-get');
if (!isRoot || !hasApt) {
  process.stderr.write(`npm test needs these system packages, missing here:\n${missing.map((p) => `  ${p.name}: ${p.why}`).join('\n')}\n`);
  process.stderr.write(hasApt ? `Install them, then run npm test again:\n  sudo apt-get update && sudo ${command.join(' ')}\n` : `Install them with your system's package manager (Debian names above), then run npm test again.\n`);
  process.exit(1);
}

process.stderr.write(`npm test: installing ${names.join(', ')} (${missing.map((p) => p.why).join('; ')})\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [['update'], command.slice(1)]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  if (r.status !== 0) {
    process.stderr.write(`npm test: apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal}); install by hand: ${command.join(' ')}\n`);
    process.exit(1);
  }
}
const still = missing.filter((p) => !p.present());
if (still.length) {
  process.stderr.write(`npm test: installed, yet still missing: ${still.map((p) => p.name).join(', ')}\n`);
  process.exit(1);
}
