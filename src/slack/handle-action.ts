import { performance } from 'node:perf_hooks';
import { BUTTONS, buttonTokens } from '../../commands/buttons.js';
import { MedicError, toMedicError, userMessage } from '../errors.js';
import { ACTION_IDS, INCIDENT_ACTION_IDS, PROPOSAL_ACTION_IDS, baseActionId, decodeButtonValue, decodeIncidentId, decodeProposalId, type ActionId, type IncidentActionId, type ProposalActionId } from './blocks/actions.js';
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
const isIncidentAction = (id: ActionId): id is IncidentActionId => (INCIDENT_ACTION_IDS as readonly string[]).includes(id);

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
    if (isIncidentAction(kind)) {
      outcome = await handleIncidentButton(deps, kind, decodeIncidentId(press.value), press, reply);
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

/** Take it (the presser owns the incident) or Escalate (pages the next level); a refusal is answered to the presser alone, saying why. */
async function handleIncidentButton(deps: SlackDeps, kind: IncidentActionId, incidentId: string, press: ButtonPress, reply: ReplyChannel): Promise<string> {
  const take = kind === ACTION_IDS.incidentAck;
  // Owning an incident or paging someone is acting on it: the operators' role, as proposing a fix is.
  const decision = await deps.access.check(press.userId, 'operate');
  if (!decision.ok) {
    await reply.ephemeral(errorMessage(`You may not ${take ? 'take' : 'escalate'} incidents`, `It needs the ${decision.role} role of the policy file, and you do not have it.`));
    return 'forbidden';
  }
  const result = await deps.services.incidents.act(incidentId, take ? { kind: 'acknowledged', by: press.userId, via: 'slack' } : { kind: 'escalated', by: press.userId });
  if (result.ok) {
    const said = take ? `You own incident ${incidentId} now.` : `Incident ${incidentId} is escalated; PagerDuty is being paged.`;
    await reply.ephemeral(slackMessage(said, [section(said)]));
    return 'ok';
  }
  deps.log.info({ user: press.userId, incident: incidentId, reason: result.reason }, take ? 'take refused' : 'escalation refused');
  const head = `${take ? 'You did not take' : 'Did not escalate'} incident ${incidentId}`;
  await reply.ephemeral(slackMessage(`${head}: ${result.reason}`, [section(`⛔ ${head}: ${withMentions(result.reason)}`)]));
  return 'refused';
}

/** A refusal in words, escaped, keeping the user mentions the machine writes ("<@U…> already took this incident"). */
const withMentions = (reason: string) => escapeMrkdwn(reason).replace(/&lt;@([UW][A-Z0-9]{2,})&gt;/g, '<@$1>');
