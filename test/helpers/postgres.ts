import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './stub-servers.js';

const run = promisify(execFile);

/** Debian's package with initdb, postgres and pg_ctl (under /usr/lib/postgresql/MAJOR/bin). */
export const POSTGRES_APT_PACKAGE = 'postgresql';
const BIN_ROOT = '/usr/lib/postgresql';

/**
 * A throw-away PostgreSQL cluster for one test file: initdb in a temporary
 * directory, a free loopback port, its unix socket in that directory, trust
 * authentication for the `postgres` superuser, durability off (fsync) because
 * nothing here outlives the test. As root it runs as the `postgres` user (or
 * `nobody`): postgres refuses to run as root. Only the temporary directory is
 * handed to that user, so it works from a checkout nobody else may read.
 */
export interface PostgresCluster {
  port: number;
  /** postgres://postgres@127.0.0.1:PORT/DATABASE */
  url(database: string): string;
  /** Creates an empty database; its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (clients are disconnected); the data stays for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  running(): boolean;
  /** Stops it and removes everything. */
  dispose(): Promise<void>;
}

/** The newest installed server's bin directory; a clear error naming the package when there is none. */
export function postgresBinDir(): string {
  const explicit = process.env.POSTGRES_BIN_DIR;
  const versions = existsSync(BIN_ROOT) ? readdirSync(BIN_ROOT).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = explicit ? [explicit] : versions.map((v) => join(BIN_ROOT, v, 'bin'));
  const found = candidates.find((dir) => ['initdb', 'postgres'].every((b) => existsSync(join(dir, b))));
  if (found) return found;
  throw new Error(
    `PostgreSQL server binaries not found (${explicit ? `POSTGRES_BIN_DIR=${explicit}` : `no ${BIN_ROOT}/*/bin/initdb`}): install Debian's ${POSTGRES_APT_PACKAGE} (apt-get install ${POSTGRES_APT_PACKAGE}), or set POSTGRES_BIN_DIR`,
  );
}

/** The unprivileged user to run as when we are root: [uid, gid]. */
async function serverUser(): Promise<[number, number] | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
      return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
    } catch {
      // not on this machine: try the next
    }
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as (postgres refuses to run as root)');
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const user = await serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'medic-pg-'));
  const data = join(dir, 'data');
  if (user) chownSync(dir, user[0], user[1]);
  // setpriv (util-linux) switches to the user without a login session; the cwd is the cluster's own directory.
  const as = (argv: string[]): [string, string[]] =>
    user ? ['setpriv', [`--reuid=${user[0]}`, `--regid=${user[1]}`, '--clear-groups', '--', ...argv]] : [argv[0]!, argv.slice(1)];
  try {
    const [cmd, args] = as([join(bin, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C']);
    await run(cmd, args, { cwd: dir });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
  const port = await freePort();
  let server: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    const [cmd, args] = as([
      join(bin, 'postgres'),
      '-D', data,
      '-p', String(port),
      '-k', dir,
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'max_connections=200',
    ]);
    const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    server = child;
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`postgres exited (${child.exitCode}):\n${output}`);
      const client = new pg.Client({ connectionString: cluster.url('postgres') });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return false;
      } finally {
        await client.end().catch(() => undefined);
      }
    }, `postgres on port ${port} to accept connections`);
  };

  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    // SIGINT is the fast shutdown: open sessions are terminated, as when a server goes down.
    child.kill('SIGINT');
    await exited;
  };

  const cluster: PostgresCluster = {
    port,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: cluster.url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return cluster.url(name);
    },
    stop,
    start,
    running: () => server !== undefined && server.exitCode === null,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await start();
  } catch (e) {
    await cluster.dispose();
    throw e;
  }
  return cluster;
}

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
