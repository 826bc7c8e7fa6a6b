import type { AuditKind } from './audit.js';

/** An audit entry in a line of words: what happened, with the detail that matters for each kind. */
export function auditSentence(kind: AuditKind, detail: Record<string, unknown>): string {
  const d = detail as Record<string, string | number | string[] | undefined>;
  switch (kind) {
    case 'proposed':
      return `proposed (needs ${d.required} approval${d.required === 1 ? '' : 's'}${d.fourEyes ? ', four-eyes' : ''}, expires ${d.expiresAt})`;
    case 'vote':
      return `voted ${d.verdict}`;
    case 'approved':
      return `approved (approvers: ${[d.approvers].flat().join(', ')})`;
    case 'rejected':
      return 'rejected';
    case 'expired':
      return `expired (deadline ${d.expiresAt})`;
    case 'superseded':
      return `void: ${d.detail}`;
    case 'execution-started':
      return 'execution started';
    case 'deployment-result':
      return `${d.deployment}: ${d.outcome} (${d.message}) — ${d.command}`;
    case 'verification':
      return `verification ${d.outcome}: ${d.message}`;
    case 'execution-finished':
      return `execution ${d.outcome}: ${d.detail}`;
  }
}
