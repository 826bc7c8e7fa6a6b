import { MedicError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../ports.js';
import { SqliteStore } from './sqlite/store.js';

export const DEFAULT_DATABASE_URL = 'sqlite://./data/deploy-medic.db';

/** The file of a sqlite:// URL: sqlite://./data/x.db is relative, sqlite:///var/lib/x.db absolute. */
export function sqlitePathFromUrl(url: string): string {
  const path = url.startsWith('sqlite://') ? url.slice('sqlite://'.length) : '';
  if (!path) throw new MedicError('CONFIG_INVALID', `DATABASE_URL: expected sqlite://PATH, e.g. ${DEFAULT_DATABASE_URL}, or postgres://USER:PASSWORD@HOST:PORT/DATABASE; got ${JSON.stringify(url)}`);
  return path;
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/**
 * The store DATABASE_URL names, opened and migrated: a SQLite file (one replica), or a
 * PostgreSQL database several replicas share. pg is loaded only for the latter.
 */
export async function openStore(databaseUrl: string = DEFAULT_DATABASE_URL, log?: Logger): Promise<Store> {
  if (isPostgresUrl(databaseUrl)) {
    const { PostgresStore } = await import('./postgres/store.js');
    return PostgresStore.open(databaseUrl, log);
  }
  return SqliteStore.open(sqlitePathFromUrl(databaseUrl));
}
