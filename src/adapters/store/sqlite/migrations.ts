import type Database from 'better-sqlite3';
import { MedicError } from '../../../errors.js';

/**
 * The schema, as numbered steps applied in order at start-up; never edit a released step, add one.
 * Kept to SQL PostgreSQL also speaks (times as epoch milliseconds, JSON as text, flags as 0/1),
 * so the PostgreSQL store can follow the same steps with its own types.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'inbox, proposals, votes, executions, audit',
    sql: `
      CREATE TABLE inbox (
        delivery_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        lease_until INTEGER,
        handled_at INTEGER
      );
      CREATE INDEX inbox_unhandled ON inbox (received_at) WHERE handled_at IS NULL;

      CREATE TABLE proposals (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        status TEXT NOT NULL,
        channel TEXT NOT NULL,
        thread_ts TEXT,
        message_ts TEXT,
        cluster TEXT NOT NULL,
        action TEXT NOT NULL,
        params TEXT NOT NULL,
        requester TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        required INTEGER NOT NULL CHECK (required >= 1),
        four_eyes INTEGER NOT NULL CHECK (four_eyes IN (0, 1)),
        superseded_at INTEGER,
        superseded_by TEXT,
        superseded_cause TEXT,
        superseded_detail TEXT,
        expiry_recorded_at INTEGER,
        started_at INTEGER,
        finished_at INTEGER,
        outcome TEXT,
        outcome_detail TEXT
      );
      CREATE INDEX proposals_by_status ON proposals (status, created_at);

      CREATE TABLE proposal_deployments (
        proposal_id TEXT NOT NULL REFERENCES proposals (id),
        position INTEGER NOT NULL,
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        uid TEXT NOT NULL,
        generation INTEGER NOT NULL,
        resource_version TEXT NOT NULL,
        target_revision INTEGER,
        target_template_hash TEXT,
        PRIMARY KEY (proposal_id, position),
        UNIQUE (proposal_id, namespace, name)
      );
      CREATE INDEX proposal_deployments_by_name ON proposal_deployments (namespace, name);

      CREATE TABLE votes (
        proposal_id TEXT NOT NULL REFERENCES proposals (id),
        user_id TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('approve', 'reject')),
        at INTEGER NOT NULL,
        PRIMARY KEY (proposal_id, user_id)
      );

      CREATE TABLE executions (
        proposal_id TEXT PRIMARY KEY REFERENCES proposals (id),
        holder TEXT NOT NULL,
        claimed_at INTEGER NOT NULL,
        lease_until INTEGER NOT NULL
      );

      CREATE TABLE execution_deployments (
        proposal_id TEXT NOT NULL REFERENCES executions (proposal_id),
        namespace TEXT NOT NULL,
        name TEXT NOT NULL,
        result TEXT,
        result_detail TEXT,
        result_at INTEGER,
        verification TEXT,
        verification_detail TEXT,
        verification_at INTEGER,
        PRIMARY KEY (proposal_id, namespace, name)
      );

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        proposal_id TEXT REFERENCES proposals (id),
        cluster TEXT NOT NULL,
        namespace TEXT NOT NULL,
        deployment TEXT,
        detail TEXT NOT NULL
      );
      CREATE INDEX audit_by_deployment ON audit (cluster, namespace, deployment);
      CREATE INDEX audit_by_proposal ON audit (proposal_id);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/**
 * Applies the missing steps in one immediate transaction: a second process starting at the same
 * moment waits for the lock, then finds nothing left to do.
 */
export function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
    const current = row.version ?? 0;
    if (current > LATEST_SCHEMA_VERSION) {
      throw new MedicError(
        'STORE',
        `the database ${path} has schema version ${current}, newer than this Deploy Medic knows (${LATEST_SCHEMA_VERSION}); run the newer Deploy Medic that wrote it, or set DATABASE_URL to another file`,
        { details: { path, schemaVersion: current, knownVersion: LATEST_SCHEMA_VERSION } },
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS.filter((step) => step.version > current)) {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    }
  }).immediate();
}
