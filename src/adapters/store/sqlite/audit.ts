import type Database from 'better-sqlite3';
import type { AuditKind } from '../../../domain/audit.js';
import type { AuditEntry, DeploymentTarget, NewAuditEntry } from '../../../ports.js';
import { compact, fromMs, json } from './codec.js';

export interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  kind: string;
  proposal_id: string | null;
  cluster: string;
  namespace: string;
  deployment: string | null;
  detail: string;
}

export class SqliteAudit {
  private readonly insert;
  private readonly byDeployment;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO audit (at, actor, kind, proposal_id, cluster, namespace, deployment, detail)
       VALUES (@at, @actor, @kind, @proposalId, @cluster, @namespace, @deployment, @detail)`,
    );
    // An entry without a deployment concerns every deployment of its proposal.
    this.byDeployment = db.prepare<DeploymentTarget, AuditRow>(
      `SELECT * FROM audit
       WHERE cluster = @cluster AND namespace = @namespace
         AND (deployment = @name
              OR (deployment IS NULL AND proposal_id IN (SELECT proposal_id FROM proposal_deployments WHERE namespace = @namespace AND name = @name)))
       ORDER BY at, seq`,
    );
  }

  /** Runs inside the caller's transaction when there is one. */
  append(entries: readonly NewAuditEntry[]): void {
    for (const e of entries) {
      this.insert.run({
        at: e.at.getTime(),
        actor: e.actor,
        kind: e.kind,
        proposalId: e.proposalId ?? null,
        cluster: e.cluster,
        namespace: e.namespace,
        deployment: e.deployment ?? null,
        detail: json(e.detail),
      });
    }
  }

  list(ref: DeploymentTarget): AuditEntry[] {
    return this.byDeployment.all({ cluster: ref.cluster, namespace: ref.namespace, name: ref.name }).map(toAuditEntry);
  }
}

export function toAuditEntry(r: AuditRow): AuditEntry {
  return compact({
    seq: r.seq,
    at: fromMs(r.at),
    actor: r.actor,
    kind: r.kind as AuditKind,
    proposalId: r.proposal_id ?? undefined,
    cluster: r.cluster,
    namespace: r.namespace,
    deployment: r.deployment ?? undefined,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  });
}
