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
  {
    version: 2,
    name: 'incidents, links, timeline, alerts, webhook deliveries, timers, outbox',
    sql: `
      -- live_fingerprint is the fingerprint while the incident can absorb detections (open, or resolved
      -- within its grace period), NULL after: the UNIQUE constraint makes "open or merge" one insert.
      CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        live_fingerprint TEXT UNIQUE,
        version INTEGER NOT NULL,
        phase TEXT NOT NULL,
        channel TEXT,
        parent_ts TEXT,
        cluster TEXT,
        namespace TEXT,
        deployment TEXT,
        opened_at INTEGER NOT NULL,
        grace_until INTEGER,
        facts TEXT NOT NULL
      );
      CREATE INDEX incidents_by_fingerprint ON incidents (fingerprint);
      CREATE INDEX incidents_by_deployment ON incidents (cluster, namespace, deployment);
      CREATE INDEX incidents_open ON incidents (opened_at) WHERE phase <> 'resolved';

      CREATE TABLE incident_links (
        from_id TEXT NOT NULL REFERENCES incidents (id),
        to_id TEXT NOT NULL REFERENCES incidents (id),
        kind TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (from_id, to_id, kind)
      );
      CREATE INDEX incident_links_to ON incident_links (to_id);

      CREATE TABLE incident_timeline (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX incident_timeline_by_incident ON incident_timeline (incident_id, at);

      CREATE TABLE alerts (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        group_key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
        starts_at INTEGER NOT NULL,
        ends_at INTEGER,
        payload TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        lease_until INTEGER,
        handled_at INTEGER,
        UNIQUE (group_key, fingerprint, status, starts_at)
      );
      CREATE INDEX alerts_unhandled ON alerts (group_key, fingerprint, seq) WHERE handled_at IS NULL;

      CREATE TABLE webhook_deliveries (
        source TEXT NOT NULL,
        delivery_id TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        PRIMARY KEY (source, delivery_id)
      );

      CREATE TABLE incident_timers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        kind TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        lease_until INTEGER,
        fired_at INTEGER,
        UNIQUE (incident_id, kind, due_at)
      );
      CREATE INDEX incident_timers_due ON incident_timers (due_at) WHERE fired_at IS NULL;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        incident_id TEXT NOT NULL REFERENCES incidents (id),
        destination TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        claimed_by TEXT,
        lease_until INTEGER,
        finished_at INTEGER
      );
      CREATE INDEX outbox_pending ON outbox (incident_id, destination, id) WHERE status = 'pending';
    `,
  },
  {
    version: 3,
    name: 'heartbeats',
    sql: `
      -- Each process's last successful write: /readyz proves the store takes writes by making one.
      CREATE TABLE heartbeats (
        holder TEXT PRIMARY KEY,
        beat_at INTEGER NOT NULL
      );
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
