import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openStore } from '../../src/adapters/store/index.js';
import { PolicySchema, type Policy } from '../../src/config/policy.js';
import { createLogger } from '../../src/log.js';
import type { Clock, Store } from '../../src/ports.js';
import type { Approvals } from '../../src/services/approvals.js';
import { IncidentService } from '../../src/services/incidents.js';
import type { ReadingService } from '../../src/services/reading.js';

export const silent = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });

/** A clock the test moves. */
export class TestClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/**
 * For incidents opened without a deployment target, the service never diagnoses or proposes: these
 * say so loudly if that ever changes, instead of standing in for the real services.
 */
const notReached = (what: string) =>
  new Proxy({}, { get: (_t, key) => () => Promise.reject(new Error(`${what}.${String(key)} was called: these tests open incidents without a deployment target`)) });

export interface IncidentWorld {
  dir: string;
  databaseUrl: string;
  store: Store;
  clock: TestClock;
  policy: Policy;
  incidents: IncidentService;
  reading: ReadingService;
  approvals: Approvals;
  close(): Promise<void>;
}

/** A real SQLite store in a temp dir and the incident service over it. */
export async function incidentWorld(policyInput: unknown = {}): Promise<IncidentWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'medic-incidents-'));
  const databaseUrl = `sqlite://${join(dir, 'medic.db')}`;
  const store = await openStore(databaseUrl);
  const clock = new TestClock(new Date('2024-05-01T03:00:00Z'));
  const policy = PolicySchema.parse(policyInput);
  const reading = notReached('reading') as ReadingService;
  const approvals = notReached('approvals') as Approvals;
  const incidents = new IncidentService({ store, clock, policy, reading, approvals, log: silent });
  return {
    dir,
    databaseUrl,
    store,
    clock,
    policy,
    incidents,
    reading,
    approvals,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const SUBJECT = { kind: 'rollout', cluster: 'default', namespace: 'production', deployment: 'api-server', revision: 4 } as const;
export const TARGET = { cluster: 'default', namespace: 'production', name: 'api-server' };
