import { performance } from 'node:perf_hooks';
import { BUTTONS, buttonTokens } from '../../commands/buttons.js';
import { MedicError, toMedicError, userMessage } from '../errors.js';
import { ACTION_IDS, PROPOSAL_ACTION_IDS, baseActionId, decodeButtonValue, decodeProposalId, type ActionId, type ProposalActionId } from './blocks/actions.js';
import { actions, proposalButton, section, slackMessage } from './blocks/build.js';
import { errorMessage } from './blocks/error.js';
import { escapeMrkdwn } from './blocks/escape.js';
import { proposalCard } from './blocks/proposal-card.js';
import { runRequest, type SlackDeps } from './handle-command.js';
import type { ReplyChannel } from './replies.js';

export interface ButtonPress {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
  /** The thread of the message the button is on (its own ts for a top-level message). */
  threadTs?: string;
}

const isProposalAction = (id: ActionId): id is ProposalActionId => (PROPOSAL_ACTION_IDS as readonly string[]).includes(id);

/**
 * A button press after the ack. Approve, Reject and "propose again" carry a
 * proposal ID and go to the approvals service; every other button is a
 * command with its arguments filled in, parsed and run as if typed.
 */
export async function handleButton(deps: SlackDeps, press: ButtonPress, reply: ReplyChannel): Promise<void> {
  const started = performance.now();
  const kind = baseActionId(press.actionId);
  let outcome = 'usage';
  try {
    if (!kind) throw new MedicError('USAGE', `unknown action ${press.actionId}`);
    if (isProposalAction(kind)) {
      outcome = await handleProposalButton(deps, kind, decodeProposalId(press.value), press, reply);
      return;
    }
    const button = BUTTONS[kind];
    const prepared = button.command.prepare(buttonTokens(button, decodeButtonValue(press.value)));
    outcome = await runRequest(deps, { ...prepared, name: button.label, access: button.command.access }, press, reply);
  } catch (e) {
    const err = toMedicError(e);
    deps.log.warn({ err, action: press.actionId, user: press.userId }, 'button press rejected');
    await reply.ephemeral(errorMessage('That button did not work', err.message)).catch(() => {});
  } finally {
    deps.metrics.actionFinished(kind ?? 'unknown', outcome, (performance.now() - started) / 1000);
  }
}

/** A vote (refusals answered to the voter alone, with a way on when it expired or was voided), or a fresh proposal. */
async function handleProposalButton(deps: SlackDeps, kind: ProposalActionId, proposalId: string, press: ButtonPress, reply: ReplyChannel): Promise<string> {
  const approvals = deps.services.approvals;
  const who = { userId: press.userId, channelId: press.channelId };
  if (kind === ACTION_IDS.repropose) {
    try {
      const view = await approvals.repropose(proposalId, who);
      const ts = await reply.post(proposalCard(view));
      if (ts) await approvals.attachCard(view.id, ts);
      return 'ok';
    } catch (e) {
      const err = toMedicError(e);
      await reply.ephemeral(errorMessage('Could not propose it again', userMessage(err)));
      return err.code.toLowerCase();
    }
  }
  const result = await approvals.vote(proposalId, who, kind === ACTION_IDS.approve ? 'approve' : 'reject');
  if (result.ok) {
    const said = kind === ACTION_IDS.approve ? 'Your approval is recorded.' : 'Your rejection is recorded; nothing will be changed.';
    await reply.ephemeral(slackMessage(said, [section(said)]));
    return result.status;
  }
  deps.log.info({ user: press.userId, proposal: proposalId, reason: result.reason }, 'vote refused');
  const fresh = result.status === 'expired' || result.status === 'superseded' || result.status === 'rejected';
  const text = `Your vote was not counted: ${escapeMrkdwn(result.reason)}`;
  await reply.ephemeral(slackMessage(text, [section(`⛔ ${text}`), ...(fresh ? actions([proposalButton('Propose it again', ACTION_IDS.repropose, proposalId, 'primary')]) : [])]));
  return 'refused';
}
