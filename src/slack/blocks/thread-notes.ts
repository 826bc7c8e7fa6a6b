import type { KnownBlock } from '@slack/types';
import type { ApprovalNotice } from '../../domain/approval.js';
import type { DeploymentOutcomeNote, ThreadNote } from '../../domain/thread-note.js';
import { ACTION_IDS } from './actions.js';
import { actions, button, context, listText, oneLine, proposalButton, section, slackMessage } from './build.js';
import { escapeMrkdwn, slackDate, userMention } from './escape.js';
import type { SlackMessage } from './types.js';

function approvalText(n: ApprovalNotice): string {
  switch (n.kind) {
    case 'vote-recorded':
      return `👍 ${userMention(n.by)} approved (${n.approvals} of ${n.required}); waiting for more approvers.`;
    case 'approved':
      return `✅ Approved by ${n.approvers.map(userMention).join(', ')}. Executing…`;
    case 'rejected':
      return `🚫 Rejected by ${userMention(n.by)}. Nothing was changed.`;
    case 'expired':
      return `⌛ This proposal expired at ${slackDate(n.expiresAt.toISOString())} without enough approvals. Nothing was changed; propose it again if it is still needed.`;
    case 'superseded':
      return `♻️ This approval is void: ${escapeMrkdwn(n.detail)}. Nothing was changed; diagnose again and propose afresh.`;
  }
}

const ICON: Record<DeploymentOutcomeNote['outcome'], string> = { verified: '✅', failed: '❌', refused: '⛔' };

function outcomeBlocks(d: DeploymentOutcomeNote, cluster: string): KnownBlock[] {
  const head = `${ICON[d.outcome]} *${escapeMrkdwn(`${d.namespace}/${d.name}`)}* ${d.outcome === 'verified' ? 'verified' : d.outcome === 'failed' ? 'failed verification' : 'not changed'}: ${oneLine(d.message, 1500)}`;
  const blocks: KnownBlock[] = [section(head)];
  if (d.warnings.length) blocks.push(section(listText('*Warnings*', d.warnings.map((w) => `• ${escapeMrkdwn(w)}`), 'warning')));
  if (d.stillRunning.length) blocks.push(section(listText('*Still running*', d.stillRunning.map((p) => `• ${escapeMrkdwn(p)}`), 'pod')));
  if (d.outcome === 'failed') {
    const ref = { cluster, namespace: d.namespace, name: d.name };
    blocks.push(
      ...actions([
        d.previousRevision ? button(`Propose rollback to revision ${d.previousRevision}`, ACTION_IDS.proposeRollback, { ...ref, toRevision: d.previousRevision }, 'danger') : undefined,
        button('Diagnose again', ACTION_IDS.diagnose, ref),
      ]),
    );
    blocks.push(context('If this is serious, escalate to the on-call engineer now.'));
  }
  return blocks;
}

/** Notices after which the same change can only be proposed afresh. */
const ENDED = new Set<ApprovalNotice['kind']>(['expired', 'superseded', 'rejected']);

/** A note in a proposal's thread; one that ends the proposal offers to propose it again. */
export function threadNoteMessage(note: ThreadNote, cluster: string, proposalId: string): SlackMessage {
  switch (note.kind) {
    case 'approval': {
      const text = approvalText(note.notice);
      const again = ENDED.has(note.notice.kind) ? actions([proposalButton('Propose it again', ACTION_IDS.repropose, proposalId)]) : [];
      return slackMessage(text, [section(text), ...again]);
    }
    case 'progress': {
      const text = `⚙️ *${escapeMrkdwn(`${note.namespace}/${note.name}`)}*: ${oneLine(note.message, 1500)}`;
      return slackMessage(`${note.namespace}/${note.name}: ${note.message}`, [section(text)]);
    }
    case 'outcome': {
      const ok = note.deployments.every((d) => d.outcome === 'verified');
      const summary = ok
        ? `Verified: ${note.deployments.map((d) => `${d.namespace}/${d.name}`).join(', ')}`
        : `Not verified: ${note.deployments.filter((d) => d.outcome !== 'verified').map((d) => `${d.namespace}/${d.name}`).join(', ')}`;
      return slackMessage(summary, note.deployments.flatMap((d) => outcomeBlocks(d, cluster)));
    }
  }
}
