import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { isMedicError, MedicError } from '../../../errors.js';
import { migrate } from './migrations.js';

/** "DMED" in the file header: tells our database from another program's SQLite file. */
const APPLICATION_ID = 0x444d4544;
/** Several processes share one file; a writer waits this long for another's lock. */
const BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating if needed) and migrates the database; every failure names the path and what to do. */
export function openDatabase(path: string): Database.Database {
  const where = resolve(path);
  prepareDirectory(where);
  let db: Database.Database | undefined;
  try {
    db = new Database(where);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (db.pragma('journal_mode = WAL', { simple: true }) !== 'wal') {
      throw storeProblem(where, 'cannot be switched to WAL mode (is it on a read-only or network file system?)', 'put it on a local writable disk');
    }
    // NORMAL is durable against a crashed process in WAL mode; only a power loss may drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    checkOwnership(db, where);
    // A damaged page would otherwise surface at the first click that reads it; the bot's file is small.
    const check = String(db.pragma('quick_check', { simple: true }));
    if (check !== 'ok') {
      const first = check.split('\n').find((line) => line && !line.startsWith('***')) ?? check;
      throw storeProblem(where, `is corrupt (${first})`, 'restore it from a backup or move it aside, then start again');
    }
    migrate(db, where);
    if (db.pragma('application_id', { simple: true }) === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    return db;
  } catch (e) {
    db?.close();
    throw storeError(where, e);
  }
}

function prepareDirectory(where: string): void {
  const dir = dirname(where);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw storeProblem(where, `cannot have its directory ${dir} created (${errnoOf(e)})`, 'create the directory, or set DATABASE_URL to a writable place', e);
  }
  if (existsSync(where) && statSync(where).isDirectory()) {
    throw storeProblem(where, 'is a directory', 'set DATABASE_URL to a file path such as sqlite://./data/deploy-medic.db');
  }
  // WAL keeps two files beside the database, so the directory must be writable too.
  for (const target of existsSync(where) ? [where, dir] : [dir]) {
    try {
      accessSync(target, constants.R_OK | constants.W_OK);
    } catch (e) {
      throw storeProblem(where, `is not writable: ${target} (${errnoOf(e)})`, 'give this user write access to the file and its directory, or set DATABASE_URL to a writable place', e);
    }
  }
}

function checkOwnership(db: Database.Database, where: string): void {
  const id = db.pragma('application_id', { simple: true });
  if (id === APPLICATION_ID) return;
  const tables = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'").get() as { n: number };
  if (id !== 0 || tables.n > 0) {
    throw storeProblem(where, 'is a SQLite database of another application', 'set DATABASE_URL to a file of its own');
  }
}

/** Any failure of the database as a STORE MedicError naming the path. */
export function storeError(where: string, e: unknown): MedicError {
  if (isMedicError(e)) return e;
  const code = (e as { code?: unknown }).code;
  // Extended result codes (SQLITE_CANTOPEN_ISDIR…) are classified by their primary code.
  switch (typeof code === 'string' ? code.split('_').slice(0, 2).join('_') : '') {
    case 'SQLITE_NOTADB':
      return storeProblem(where, 'is not a SQLite database (corrupt, or another kind of file)', 'move it aside (or restore a backup), or set DATABASE_URL to another file', e);
    case 'SQLITE_CORRUPT':
      return storeProblem(where, 'is corrupt', 'restore it from a backup or move it aside, then start again', e);
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
      return storeProblem(where, `cannot be opened for writing (${String(code)})`, 'give this user write access to the file and its directory, or set DATABASE_URL to a writable place', e);
    case 'SQLITE_BUSY':
      return storeProblem(where, `stayed locked by another process for more than ${BUSY_TIMEOUT_MS / 1000} s`, 'check for a stuck process holding it, or retry', e);
    case 'SQLITE_FULL':
      return storeProblem(where, 'cannot grow: the disk is full', 'free disk space', e);
    default:
      return storeProblem(where, `failed: ${e instanceof Error ? e.message : String(e)}`, 'see the cause in the log', e);
  }
}

function storeProblem(where: string, problem: string, remedy: string, cause?: unknown): MedicError {
  return new MedicError('STORE', `the database ${where} ${problem}; ${remedy}`, { cause, details: { path: where } });
}

const errnoOf = (e: unknown) => String((e as { code?: unknown }).code ?? (e instanceof Error ? e.message : e));
