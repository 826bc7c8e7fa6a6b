import { auditSentence } from '../../domain/audit-text.js';
import type { AuditEntry, DeploymentTarget } from '../../ports.js';
import { header, listText, section, slackMessage } from './build.js';
import { escapeMrkdwn, inlineCode, slackDate, userMention } from './escape.js';

const actor = (id: string) => (/^[UW][A-Z0-9]+$/.test(id) ? userMention(id) : escapeMrkdwn(id));

/** `/deploy audit`: the deployment's trail, newest last, each entry with who and when. */
export function auditCard(target: DeploymentTarget, entries: AuditEntry[]) {
  const lines = entries.map(
    (e) => `• ${slackDate(e.at.toISOString())} ${actor(e.actor)} ${escapeMrkdwn(auditSentence(e.kind, e.detail))}${e.proposalId ? ` · ${inlineCode(e.proposalId.slice(0, 8))}` : ''}`,
  );
  const title = `Audit of ${target.namespace}/${target.name}`;
  return slackMessage(`${title}: ${entries.length} entries`, [
    header(title),
    section(lines.length ? listText(`*${entries.length} entries, oldest first*`, lines.slice(-40), 'entry', 'entries') : 'No proposals, votes or executions recorded for this deployment yet.'),
  ]);
}
