import { EXIT } from '../errors.js';
import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';

/** `deploy-medic status`: kubectl rollout status, one shot; exit 1 when the rollout has failed. */
export async function statusCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd } = parseKubeCommand('status', argv, io, env);
  const status = await cmd.services.reading.rollout(cmd.target);
  if (cmd.output === 'json') io.out(JSON.stringify({ namespace: cmd.target.namespace, name: cmd.target.name, ...status }, null, 2));
  else if (status.state === 'failed') io.out(cmd.style.red(`error: ${status.message}`));
  else io.out(status.message);
  return status.state === 'failed' ? EXIT.failing : EXIT.ok;
}
