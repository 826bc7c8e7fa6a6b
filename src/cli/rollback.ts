import { EXIT, MedicError } from '../errors.js';
import { applyRollback, prepareRollback } from '../services/rollback.js';
import { intOption } from './args.js';
import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';

export const ROLLBACK_USAGE = 'deploy-medic rollback NAME -n NS [--to-revision N] [--yes] [--kubeconfig F] [--context C] [--output text|json]';

/**
 * `deploy-medic rollback`: what `kubectl rollout undo` does, after a
 * confirmation: asked on a terminal, refused without --yes otherwise.
 */
export async function rollbackCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd, args } = parseKubeCommand('rollback', argv, io, env, { 'to-revision': { type: 'string' }, yes: { type: 'boolean', short: 'y' } });
  const toRevision = intOption('to-revision', args.string('to-revision'), 1, 2 ** 31 - 1) ?? 0;
  const { namespace, name } = cmd.ref;
  const plan = await prepareRollback(cmd.cluster, cmd.ref, toRevision);
  if (!plan.ok) {
    if (plan.reason === 'already-current') {
      io.out(cmd.output === 'json' ? JSON.stringify({ rolledBack: false, reason: plan.reason, message: plan.message }) : `deployment.apps/${name} ${plan.message}`);
      return EXIT.ok;
    }
    throw new MedicError(plan.reason === 'paused' ? 'USAGE' : 'NOT_FOUND', plan.message);
  }
  const images = (plan.patch[0]!.value as { spec?: { containers?: Array<{ image?: string }> } }).spec?.containers?.map((c) => c.image).join(', ');
  const question = `Roll back ${namespace}/${name} from revision ${plan.fromRevision} to revision ${plan.toRevision} (${images})? [y/N] `;
  if (!args.flag('yes')) {
    if (!io.interactive) throw new MedicError('USAGE', 'refusing to roll back without confirmation: stdin is not a terminal; pass --yes to confirm');
    const answer = (await io.ask(question)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.err('Rollback cancelled; nothing was changed.');
      return EXIT.ok;
    }
  }
  const after = await applyRollback(cmd.cluster, cmd.ref, plan);
  const result = { rolledBack: true, namespace, name, fromRevision: plan.fromRevision, toRevision: plan.toRevision, images, resourceVersion: after.metadata?.resourceVersion };
  io.out(cmd.output === 'json' ? JSON.stringify(result, null, 2) : `deployment.apps/${name} rolled back to revision ${plan.toRevision} (${images})`);
  return EXIT.ok;
}
