import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/adapters/store/sqlite/store.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'medic-store-'));
  const path = join(dir, 'nested', 'medic.db');
  return {
    open: async () => SqliteStore.open(path),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
