import type { Button, KnownBlock } from '@slack/types';
import type { IncidentPhase, IncidentSubject } from '../../domain/incident.js';
import type { IncidentRecord } from '../../ports.js';
import { ACTION_IDS } from './actions.js';
import { actions, context, header, oneLine, section, slackMessage } from './build.js';
import { escapeMrkdwn, inlineCode, slackDate, userMention } from './escape.js';
import { SEVERITY_EMOJI } from './labels.js';
import { MAX_BUTTON_TEXT, clipPlain } from './limits.js';
import type { SlackMessage } from './types.js';

export const PHASE_WORD: Record<IncidentPhase, string> = { investigating: 'Investigating', mitigating: 'Mitigating', monitoring: 'Monitoring', resolved: 'Resolved' };
const PHASE_EMOJI: Record<IncidentPhase, string> = { investigating: '🔎', mitigating: '🛠️', monitoring: '👀', resolved: '✅' };

/** What failed, in words: `namespace/deployment` (revision N), or the Alertmanager group. */
export function subjectText(subject: IncidentSubject): string {
  return subject.kind === 'rollout' ? `${subject.namespace}/${subject.deployment} (revision ${subject.revision})` : `alert group ${subject.groupKey}`;
}

/** A button that carries the incident ID only: the rest is read from the store when it is pressed. */
function incidentButton(label: string, actionId: typeof ACTION_IDS.incidentAck | typeof ACTION_IDS.incidentEscalate, incidentId: string, style?: 'primary' | 'danger'): Button {
  return { type: 'button', text: { type: 'plain_text', text: clipPlain(label, MAX_BUTTON_TEXT), emoji: true }, action_id: actionId, value: incidentId, ...(style ? { style } : {}) };
}

/**
 * The incident's parent message: its live state, updated in place as the
 * phase, severity, root cause, owner or pages change (headlineOf); the
 * details go in the thread. "Take it" while nobody owns it, "Escalate"
 * until it is resolved.
 */
export function incidentCard(incident: IncidentRecord): SlackMessage {
  const { phase, subject, severity } = incident;
  const what = subjectText(subject);
  const cause = incident.rootCause ? `*Root cause* ${inlineCode(incident.rootCause)}: ${oneLine(incident.summary, 1500)}` : `*Summary* ${oneLine(incident.summary, 1500)}`;
  const owner = incident.acknowledged
    ? `*Owner* ${userMention(incident.acknowledged.by)} (took it ${incident.acknowledged.via === 'pagerduty' ? 'in PagerDuty' : 'in Slack'} ${slackDate(incident.acknowledged.at.toISOString())})`
    : '*Owner* nobody yet';
  const paged = incident.pages.length ? `*Paged* ${incident.pages.map((p) => `${p.level} (${p.reason})`).join(', ')}` : '*Paged* no one';
  const state =
    phase === 'resolved' && incident.resolved
      ? `${PHASE_EMOJI.resolved} *Resolved* ${slackDate(incident.resolved.at.toISOString())} (${incident.resolved.reason.replace(/-/g, ' ')})`
      : `${PHASE_EMOJI[phase]} *${PHASE_WORD[phase]}*${incident.reopened ? ` · reopened ${incident.reopened}×` : ''}`;
  const buttons = [
    ...(phase !== 'resolved' && !incident.acknowledged ? [incidentButton('Take it', ACTION_IDS.incidentAck, incident.id, 'primary')] : []),
    ...(phase !== 'resolved' ? [incidentButton('Escalate', ACTION_IDS.incidentEscalate, incident.id, 'danger')] : []),
  ];
  const where = subject.kind === 'rollout' ? ` · cluster ${inlineCode(subject.cluster)}` : '';
  const blocks: KnownBlock[] = [
    header(`${PHASE_EMOJI[phase]} ${PHASE_WORD[phase]}: ${what}`),
    section(`${state}   *Severity* ${SEVERITY_EMOJI[severity]} ${severity}\n*${subject.kind === 'rollout' ? 'Deployment' : 'Alerts'}* ${escapeMrkdwn(what)}\n${cause}`),
    section(`${owner}\n${paged}`),
    ...actions(buttons),
    context(`Incident ${inlineCode(incident.id)}${where} · opened ${slackDate(incident.openedAt.toISOString())} · details in the thread`),
  ];
  return slackMessage(`${PHASE_WORD[phase]}: ${severity} incident ${incident.id} on ${what}: ${incident.summary}`, blocks);
}
