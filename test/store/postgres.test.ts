import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../src/adapters/store/postgres/store.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { describeStoreContract, type StoreHarness } from './contract.js';
import { describeIncidentStoreContract } from './incidents-contract.js';

/** The Store contract against a real PostgreSQL server: a fresh database per test. */
let cluster: PostgresCluster;
let databases = 0;
beforeAll(async () => void (cluster = await startPostgres()));
afterAll(() => cluster?.dispose());

const postgresDatabase = async (): Promise<StoreHarness> => {
  const url = await cluster.createDatabase(`contract_${++databases}`);
  return { open: () => PostgresStore.open(url), dispose: async () => undefined };
};

describeStoreContract('PostgreSQL', postgresDatabase);
describeIncidentStoreContract('PostgreSQL', postgresDatabase);
