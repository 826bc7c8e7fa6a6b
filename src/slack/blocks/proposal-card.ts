import { actionTitle } from '../../domain/actions/index.js';
import type { ProposalView } from '../../services/views.js';
import { context, header, oneLine, section, slackMessage } from './build.js';
import { escapeMrkdwn, fence, inlineCode, slackDate, userMention } from './escape.js';
import { MAX_SECTION_TEXT, clipMrkdwn } from './limits.js';
import type { SlackMessage } from './types.js';

/**
 * A proposed action: what will change, who asked, and the command it
 * amounts to. Approval buttons come with the approval workflow; until then
 * `note` says what happens next.
 */
export function proposalCard(view: ProposalView, note: string): SlackMessage {
  const facts = [
    `*Requested by* ${userMention(view.requestedBy)}`,
    ...(view.fromRevision !== undefined || view.toRevision !== undefined ? [`*Revision* ${view.fromRevision ?? '?'} → ${view.toRevision ?? 'previous'}`] : []),
    ...(view.images?.length ? [`*Images* ${view.images.map(inlineCode).join(', ')}`] : []),
  ].join('   ');
  const commandTitle = '*Equivalent command*\n';
  const blocks = [
    header(`📝 ${actionTitle(view.action)} proposed: ${view.namespace}/${view.name}`),
    section(`${oneLine(view.summary, 1000)}\n${facts}`),
    section(commandTitle + fence(clipMrkdwn(escapeMrkdwn(view.command), MAX_SECTION_TEXT - commandTitle.length - fence('').length))),
    context(escapeMrkdwn(note)),
    context(`Proposal ${inlineCode(view.id)} · cluster ${inlineCode(view.cluster)} · ${slackDate(view.createdAt)}`),
  ];
  return slackMessage(`${actionTitle(view.action)} proposed for ${view.namespace}/${view.name}: ${view.summary}`, blocks);
}
