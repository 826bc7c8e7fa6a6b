/** What the audit trail records. Stable names: `deploy-medic audit --output json` shows them. */
export type AuditKind =
  | 'proposed'
  | 'vote'
  | 'approved'
  | 'rejected'
  | 'expired'
  | 'superseded'
  | 'execution-started'
  | 'deployment-result'
  | 'verification'
  | 'execution-finished';

/** The actor of what the bot does by itself (expiry, execution), where a person's user ID would stand. */
export const SYSTEM_ACTOR = 'deploy-medic';

/** An audit entry as the domain states it; the service adds where it happened (cluster, namespace, proposal). */
export interface AuditNote {
  at: Date;
  actor: string;
  kind: AuditKind;
  detail: Record<string, unknown>;
}
