import { chmodSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL, openStore, sqlitePathFromUrl } from '../../src/adapters/store/index.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/adapters/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/adapters/store/sqlite/store.js';
import { MedicError } from '../../src/errors.js';
import { SYSTEM_ACTOR } from '../../src/domain/audit.js';
import { at, createProposal } from './fixtures.js';
import { outputOf, spawnChild } from './spawn.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'medic-open-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function openError(path: string): MedicError {
  try {
    SqliteStore.open(path);
  } catch (e) {
    if (e instanceof MedicError) return e;
    throw e;
  }
  throw new Error(`${path} opened`);
}

const raw = (path: string) => new Database(path);

describe('opening the SQLite store', () => {
  it('creates the directory and the file, in WAL mode, with every migration recorded', async () => {
    const path = join(dir, 'a', 'b', 'medic.db');
    await SqliteStore.open(path).close();
    const db = raw(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    db.close();
  });

  it('applies migrations once: reopening keeps the data and the schema version', async () => {
    const path = join(dir, 'medic.db');
    const first = SqliteStore.open(path);
    await createProposal(first, 'p1');
    await first.close();
    const [second, third] = [SqliteStore.open(path), SqliteStore.open(path)];
    expect((await second.getProposal('p1'))?.id).toBe('p1');
    await Promise.all([second.close(), third.close()]);
    const db = raw(path);
    expect(db.prepare('SELECT COUNT(*) AS n, MAX(version) AS v FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length, v: LATEST_SCHEMA_VERSION });
    db.close();
  });

  it('refuses a schema newer than the code knows, naming the path and what to do', async () => {
    const path = join(dir, 'medic.db');
    await SqliteStore.open(path).close();
    const db = raw(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 5, 'from the future', 0);
    db.close();
    const e = openError(path);
    expect(e.code).toBe('STORE');
    expect(e.message).toBe(
      `the database ${path} has schema version ${LATEST_SCHEMA_VERSION + 5}, newer than this Deploy Medic knows (${LATEST_SCHEMA_VERSION}); run the newer Deploy Medic that wrote it, or set DATABASE_URL to another file`,
    );
  });

  it('refuses a file that is not a database', () => {
    const path = join(dir, 'medic.db');
    writeFileSync(path, 'certainly not SQLite\n'.repeat(500));
    const e = openError(path);
    expect(e.code).toBe('STORE');
    expect(e.message).toBe(`the database ${path} is not a SQLite database (corrupt, or another kind of file); move it aside (or restore a backup), or set DATABASE_URL to another file`);
  });

  it('refuses a database with damaged pages', async () => {
    const path = join(dir, 'medic.db');
    const store = SqliteStore.open(path);
    const entry = { cluster: 'prod', namespace: 'production', deployment: 'api', at: at(0), actor: SYSTEM_ACTOR, kind: 'verification' as const, detail: { note: 'x'.repeat(500) } };
    await store.appendAudit(Array.from({ length: 200 }, () => entry));
    await store.close();
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 8, 0x5a), 0, 4096 * 8, 4096 * 4);
    closeSync(fd);
    const e = openError(path);
    expect(e.code).toBe('STORE');
    expect(e.message).toMatch(new RegExp(`^the database ${path} is corrupt \\([^\\n]+\\); restore it from a backup or move it aside, then start again$`));
  });

  it('refuses another application\'s SQLite file', () => {
    const path = join(dir, 'other.db');
    const db = raw(path);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    db.close();
    expect(openError(path).message).toBe(`the database ${path} is a SQLite database of another application; set DATABASE_URL to a file of its own`);
  });

  it('refuses a directory, and a path under a file', () => {
    expect(openError(dir).message).toBe(`the database ${dir} is a directory; set DATABASE_URL to a file path such as sqlite://./data/deploy-medic.db`);
    writeFileSync(join(dir, 'plain'), '');
    const path = join(dir, 'plain', 'medic.db');
    expect(openError(path).message).toMatch(new RegExp(`^the database ${path} cannot have its directory ${join(dir, 'plain')} created \\((EEXIST|ENOTDIR)\\); create the directory, or set DATABASE_URL to a writable place$`));
  });

  // As root, permissions do not apply: the check runs in a child process without root's capabilities.

  it('refuses a file and a directory this user cannot write', async () => {
    chmodSync(dir, 0o755);
    const file = join(dir, 'medic.db');
    await SqliteStore.open(file).close();
    chmodSync(file, 0o444);
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    chmodSync(dir, 0o555);
    const [[fileResult], [dirResult]] = await Promise.all([outputOf(spawnChild(['open', file], { bound: true })), outputOf(spawnChild(['open', join(locked, 'medic.db')], { bound: true }))]);
    const remedy = 'give this user write access to the file and its directory, or set DATABASE_URL to a writable place';
    expect(fileResult).toEqual({ code: 'STORE', message: `the database ${file} is not writable: ${file} (EACCES); ${remedy}` });
    expect(dirResult).toEqual({ code: 'STORE', message: `the database ${join(locked, 'medic.db')} is not writable: ${locked} (EACCES); ${remedy}` });
    expect(statSync(file).mode & 0o777).toBe(0o444);
    chmodSync(dir, 0o755);
  });
});

describe('DATABASE_URL', () => {
  it('names a file with sqlite://', async () => {
    expect(sqlitePathFromUrl(DEFAULT_DATABASE_URL)).toBe('./data/deploy-medic.db');
    expect(sqlitePathFromUrl('sqlite:///var/lib/medic.db')).toBe('/var/lib/medic.db');
    const store = await openStore(`sqlite://${join(dir, 'url.db')}`);
    await store.close();
    expect(() => sqlitePathFromUrl('postgres://db/medic')).toThrow(/DATABASE_URL: expected sqlite:\/\/PATH/);
  });
});
