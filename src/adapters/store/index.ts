import { MedicError } from '../../errors.js';
import type { Store } from '../../ports.js';
import { SqliteStore } from './sqlite/store.js';

export const DEFAULT_DATABASE_URL = 'sqlite://./data/deploy-medic.db';

/** The file of a sqlite:// URL: sqlite://./data/x.db is relative, sqlite:///var/lib/x.db absolute. */
export function sqlitePathFromUrl(url: string): string {
  const path = url.startsWith('sqlite://') ? url.slice('sqlite://'.length) : '';
  if (!path) throw new MedicError('CONFIG_INVALID', `DATABASE_URL: expected sqlite://PATH, e.g. ${DEFAULT_DATABASE_URL}; got ${JSON.stringify(url)}`);
  return path;
}

/** The store DATABASE_URL names, opened and migrated. */
export async function openStore(databaseUrl: string = DEFAULT_DATABASE_URL): Promise<Store> {
  return SqliteStore.open(sqlitePathFromUrl(databaseUrl));
}
