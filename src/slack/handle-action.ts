import { performance } from 'node:perf_hooks';
import { PROPOSAL_NOTE } from '../../commands/proposals.js';
import type { CommandContext, CommandResult, DeploymentTarget, ProposalOptions } from '../../commands/types.js';
import type { ProposedAction } from '../services/views.js';
import { ACTION_IDS, baseActionId, decodeButtonValue, type ActionId, type ButtonValue } from './blocks/actions.js';
import { diagnosisCard } from './blocks/diagnosis-card.js';
import { errorMessage } from './blocks/error.js';
import { logsCard } from './blocks/logs-card.js';
import { proposalCard } from './blocks/proposal-card.js';
import { runRequest, type Request, type SlackDeps } from './handle-command.js';
import type { ReplyChannel } from './replies.js';

export interface ButtonPress {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
}

const propose =
  (action: ProposedAction, opts: (v: ButtonValue) => ProposalOptions) =>
  (v: ButtonValue) =>
  async (ctx: CommandContext, t: DeploymentTarget): Promise<CommandResult> => ({
    visibility: 'channel',
    message: proposalCard(await ctx.services.propose(action, t, ctx.userId, opts(v)), PROPOSAL_NOTE),
  });

/** What each button does: who may press it, what it says meanwhile, what it runs. */
const BUTTONS: Record<ActionId, { label: string; access: 'read' | 'act'; progress: (t: DeploymentTarget) => string; run: (v: ButtonValue) => Request['run'] }> = {
  [ACTION_IDS.diagnose]: {
    label: 'the Diagnose button',
    access: 'read',
    progress: (t) => `Diagnosing ${t.namespace}/${t.name}…`,
    run: () => async (ctx, t) => ({ visibility: 'channel', message: diagnosisCard(await ctx.services.diagnose(t), t.cluster) }),
  },
  [ACTION_IDS.logs]: {
    label: 'the Logs button',
    access: 'read',
    progress: (t) => `Reading logs of ${t.namespace}/${t.name}…`,
    run: (v) => async (ctx, t) => ({
      visibility: 'channel',
      message: logsCard(await ctx.services.logs({ ...t, pod: v.pod, container: v.container, previous: v.previous ?? false, tailLines: 100 })),
    }),
  },
  [ACTION_IDS.proposeRollback]: { label: 'the Propose rollback button', access: 'act', progress: (t) => `Preparing a rollback proposal for ${t.namespace}/${t.name}…`, run: propose('rollback', (v) => ({ toRevision: v.toRevision })) },
  [ACTION_IDS.fixRollback]: { label: 'the rollback fix', access: 'act', progress: (t) => `Preparing a rollback proposal for ${t.namespace}/${t.name}…`, run: propose('rollback', (v) => ({ toRevision: v.toRevision })) },
  [ACTION_IDS.fixSetImage]: { label: 'the image fix', access: 'act', progress: (t) => `Preparing an image proposal for ${t.namespace}/${t.name}…`, run: propose('set-image', (v) => ({ container: v.container, image: v.image })) },
  [ACTION_IDS.fixSetMemory]: { label: 'the memory fix', access: 'act', progress: (t) => `Preparing a memory proposal for ${t.namespace}/${t.name}…`, run: propose('set-memory-limit', (v) => ({ container: v.container, memory: v.memory })) },
  [ACTION_IDS.fixResume]: { label: 'the resume fix', access: 'act', progress: (t) => `Preparing a resume proposal for ${t.namespace}/${t.name}…`, run: propose('resume', () => ({})) },
  [ACTION_IDS.fixRestart]: { label: 'the restart fix', access: 'act', progress: (t) => `Preparing a restart proposal for ${t.namespace}/${t.name}…`, run: propose('restart', () => ({})) },
};

/** A button press after the ack: decode its value, then run it like a command, answering in the card's thread. */
export async function handleButton(deps: SlackDeps, press: ButtonPress, reply: ReplyChannel): Promise<void> {
  const started = performance.now();
  const kind = baseActionId(press.actionId);
  let outcome = 'usage';
  try {
    if (!kind) throw new Error(`unknown action ${press.actionId}`);
    const button = BUTTONS[kind];
    const value = decodeButtonValue(press.value);
    outcome = await runRequest(
      deps,
      { name: button.label, access: button.access, requested: value, progress: button.progress, run: button.run(value) },
      press,
      reply,
    );
  } catch (e) {
    deps.log.warn({ err: e, action: press.actionId, user: press.userId }, 'button press rejected');
    await reply.ephemeral(errorMessage('That button did not work', (e as Error).message)).catch(() => {});
  } finally {
    deps.metrics.actionFinished(kind ?? 'unknown', outcome, (performance.now() - started) / 1000);
  }
}
