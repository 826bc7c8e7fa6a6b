import { performance } from 'node:perf_hooks';
import { BUTTONS, buttonTokens } from '../../commands/buttons.js';
import { MedicError, toMedicError } from '../errors.js';
import { baseActionId, decodeButtonValue } from './blocks/actions.js';
import { errorMessage } from './blocks/error.js';
import { runRequest, type SlackDeps } from './handle-command.js';
import type { ReplyChannel } from './replies.js';

export interface ButtonPress {
  actionId: string;
  value: string;
  userId: string;
  channelId: string;
}

/** A button press after the ack: decode its value into the command it stands for, then run that like a typed one. */
export async function handleButton(deps: SlackDeps, press: ButtonPress, reply: ReplyChannel): Promise<void> {
  const started = performance.now();
  const kind = baseActionId(press.actionId);
  let outcome = 'usage';
  try {
    if (!kind) throw new MedicError('USAGE', `unknown action ${press.actionId}`);
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
