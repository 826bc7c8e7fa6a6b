import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';

/** A kind of store the multi-process tests run against: each call of `freshUrl` is an empty database. */
export interface StoreBackend {
  name: string;
  freshUrl(label: string): Promise<string>;
}

/** SQLite files in a temp dir and databases of one throw-away PostgreSQL cluster (started on first use), removed after the file's tests. */
export function storeBackends(): StoreBackend[] {
  const dir = mkdtempSync(join(tmpdir(), 'medic-backends-'));
  let cluster: Promise<PostgresCluster> | undefined;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await (await cluster)?.dispose();
  });
  return [
    { name: 'SQLite file', freshUrl: async (label) => `sqlite://${join(dir, `${label}.db`)}` },
    { name: 'PostgreSQL database', freshUrl: async (label) => (await (cluster ??= startPostgres())).createDatabase(label.replace(/\W/g, '_')) },
  ];
}
