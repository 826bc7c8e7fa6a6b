import type { KnownBlock } from '@slack/types';
import { actionTitle } from '../../domain/actions/index.js';
import type { ChangeView, ProposalView } from '../../services/views.js';
import { ACTION_IDS } from './actions.js';
import { actions, context, header, oneLine, proposalButton, section, slackMessage } from './build.js';
import { escapeMrkdwn, fence, inlineCode, slackDate, userMention } from './escape.js';
import { MAX_SECTION_TEXT, clipMrkdwn } from './limits.js';
import type { SlackMessage } from './types.js';

/** Blocks per change before the rest are summed up, so a long multi-service rollback still fits. */
const MAX_CHANGES = 10;

/** Actions that replace pods ask before they are approved. */
const REPLACES_PODS = new Set(['rollback', 'restart', 'set-image', 'set-memory-limit', 'set-probe', 'scale']);

function changeBlocks(c: ChangeView, many: boolean): KnownBlock[] {
  const facts = [
    ...(c.toRevision !== undefined ? [`*Revision* ${c.fromRevision ?? '?'} → ${c.toRevision}`] : []),
    ...(c.images?.length ? [`*Images* ${c.images.map(inlineCode).join(', ')}`] : []),
  ].join('   ');
  const title = '*Equivalent command*\n';
  return [
    section(`${many ? `*${escapeMrkdwn(c.name)}*: ` : ''}${oneLine(c.summary, 1000)}${facts ? `\n${facts}` : ''}`),
    section(title + fence(clipMrkdwn(escapeMrkdwn(c.command), MAX_SECTION_TEXT - title.length - fence('').length))),
  ];
}

function statusLine(v: ProposalView): string {
  const approvers = v.approvers.map(userMention).join(', ');
  switch (v.status) {
    case 'pending':
      return `⏳ *Waiting for approval* (${v.approvers.length} of ${v.required}${v.approvers.length ? `: ${approvers}` : ''}) · expires ${slackDate(v.expiresAt)}`;
    case 'approved':
      return `✅ *Approved* by ${approvers}; executing shortly`;
    case 'rejected':
      return `🚫 *Rejected* by ${userMention(v.rejectedBy ?? '')}; nothing was changed`;
    case 'expired':
      return `⌛ *Expired* at ${slackDate(v.expiresAt)}; nothing was changed`;
    case 'superseded':
      return '♻️ *Void*: the deployment changed since the proposal; nothing was changed';
    case 'executing':
      return `⚙️ *Executing*, approved by ${approvers}; progress in the thread`;
    case 'succeeded':
      return `✅ *Done*, approved by ${approvers}; outcome in the thread`;
    case 'failed':
      return `❌ *Failed*, approved by ${approvers}; details in the thread`;
  }
}

/**
 * A proposed action: what will change and why, who asked, what approval it
 * needs and until when, and while it waits the Approve and Reject buttons.
 * The buttons carry the proposal ID only; everything else is read from the
 * store when they are pressed.
 */
export function proposalCard(v: ProposalView): SlackMessage {
  const word = actionTitle(v.action);
  const many = v.changes.length > 1;
  const shown = v.changes.slice(0, MAX_CHANGES);
  const who = [
    `*Requested by* ${userMention(v.requestedBy)}`,
    `*Needs* ${v.required} approval${v.required === 1 ? '' : 's'} from distinct approvers${v.fourEyes ? ' (protected namespace: not the requester)' : ''}`,
  ].join('   ');
  const confirm = REPLACES_PODS.has(v.action)
    ? { title: `${word}: ${v.namespace}`.slice(0, 100), text: `Approve and run this now? ${escapeMrkdwn(v.changes.map((c) => c.command).join('; '))}`, yes: 'Approve' }
    : undefined;
  const blocks: KnownBlock[] = [
    header(`📝 ${word} proposed: ${v.namespace}/${v.name}`),
    ...shown.flatMap((c) => changeBlocks(c, many)),
    ...(v.changes.length > shown.length ? [context(`…and ${v.changes.length - shown.length} more deployments`)] : []),
    ...v.warnings.map((w) => section(`⚠️ ${oneLine(w, 1500)}`)),
    section(`${who}\n${statusLine(v)}`),
    ...(v.status === 'pending'
      ? actions([proposalButton('Approve', ACTION_IDS.approve, v.id, 'primary', confirm), proposalButton('Reject', ACTION_IDS.reject, v.id, 'danger')])
      : []),
    context(`Proposal ${inlineCode(v.id)} · cluster ${inlineCode(v.cluster)} · ${slackDate(v.createdAt)}`),
  ];
  const summary = v.changes.map((c) => c.summary).join(' ');
  return slackMessage(`${word} proposed for ${v.namespace}/${v.name}: ${summary}`, blocks);
}
