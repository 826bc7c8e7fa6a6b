import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/adapters/store/sqlite/store.js';
import { describeStoreContract, type StoreHarness } from './contract.js';
import { describeIncidentStoreContract } from './incidents-contract.js';

const sqliteFile = async (): Promise<StoreHarness> => {
  const dir = mkdtempSync(join(tmpdir(), 'medic-store-'));
  const path = join(dir, 'nested', 'medic.db');
  return {
    open: async () => SqliteStore.open(path),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

describeStoreContract('SQLite', sqliteFile);
describeIncidentStoreContract('SQLite', sqliteFile);
