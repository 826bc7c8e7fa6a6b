import type { AuditEntry, DeploymentTarget, NewAuditEntry } from '../../../ports.js';
import { toAuditEntry, type AuditRow } from '../sqlite/audit.js';
import { json } from '../sqlite/codec.js';
import type { Sql } from './connection.js';

/** Within the caller's transaction (`sql`). */
export async function appendAudit(sql: Sql, entries: readonly NewAuditEntry[]): Promise<void> {
  for (const e of entries) {
    await sql.run(
      `INSERT INTO audit (at, actor, kind, proposal_id, cluster, namespace, deployment, detail)
       VALUES (@at, @actor, @kind, @proposalId, @cluster, @namespace, @deployment, @detail)`,
      {
        at: e.at.getTime(),
        actor: e.actor,
        kind: e.kind,
        proposalId: e.proposalId ?? null,
        cluster: e.cluster,
        namespace: e.namespace,
        deployment: e.deployment ?? null,
        detail: json(e.detail),
      },
    );
  }
}

/** An entry without a deployment concerns every deployment of its proposal. */
export async function listAudit(sql: Sql, ref: DeploymentTarget): Promise<AuditEntry[]> {
  const rows = await sql.rows<AuditRow>(
    `SELECT * FROM audit
     WHERE cluster = @cluster AND namespace = @namespace
       AND (deployment = @name
            OR (deployment IS NULL AND proposal_id IN (SELECT proposal_id FROM proposal_deployments WHERE namespace = @namespace AND name = @name)))
     ORDER BY at, seq`,
    { cluster: ref.cluster, namespace: ref.namespace, name: ref.name },
  );
  return rows.map(toAuditEntry);
}
