import { rolloutStatus } from '../domain/rollout.js';
import { EXIT } from '../errors.js';
import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';

export const STATUS_USAGE = 'deploy-medic status NAME -n NS [--kubeconfig F] [--context C] [--output text|json]';

/** `deploy-medic status`: kubectl rollout status, one shot; exit 1 when the rollout has failed. */
export async function statusCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd } = parseKubeCommand('status', argv, io, env);
  const d = await cmd.cluster.getDeployment(cmd.ref.namespace, cmd.ref.name);
  const status = rolloutStatus(d);
  if (cmd.output === 'json') io.out(JSON.stringify({ namespace: cmd.ref.namespace, name: cmd.ref.name, ...status }, null, 2));
  else if (status.state === 'failed') io.out(cmd.style.red(`error: ${status.message}`));
  else io.out(status.message);
  return status.state === 'failed' ? EXIT.failing : EXIT.ok;
}
