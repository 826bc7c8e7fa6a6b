import { EXIT, MedicError } from '../errors.js';
import { intOption } from './args.js';
import type { CliIO } from './io.js';
import { parseKubeCommand } from './kube-command.js';

/**
 * `deploy-medic rollback`: what `kubectl rollout undo` does, after a
 * confirmation: asked on a terminal, refused without --yes otherwise.
 */
export async function rollbackCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const { cmd, args } = parseKubeCommand('rollback', argv, io, env, { 'to-revision': { type: 'string' }, yes: { type: 'boolean', short: 'y' } });
  const toRevision = intOption('to-revision', args.string('to-revision'), 1, 2 ** 31 - 1);
  const { namespace, name } = cmd.target;
  const outcome = await cmd.services.remediation.plan(cmd.target, { kind: 'rollback', toRevision });
  if (!outcome.ok) {
    const { kind, message } = outcome.refusal;
    if (kind === 'nothing-to-do') {
      io.out(cmd.output === 'json' ? JSON.stringify({ rolledBack: false, reason: 'already-current', message }) : `deployment.apps/${name} ${message}`);
      return EXIT.ok;
    }
    throw new MedicError(kind === 'missing' ? 'NOT_FOUND' : 'USAGE', message);
  }
  const { plan } = outcome;
  const images = plan.imagesAfter.join(', ');
  const question = `Roll back ${namespace}/${name} from revision ${plan.fromRevision} to revision ${plan.toRevision} (${images})? [y/N] `;
  if (!args.flag('yes')) {
    if (!io.interactive) throw new MedicError('USAGE', 'refusing to roll back without confirmation: stdin is not a terminal; pass --yes to confirm');
    const answer = (await io.ask(question)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.err('Rollback cancelled; nothing was changed.');
      return EXIT.ok;
    }
  }
  const after = await cmd.services.remediation.apply(cmd.target, plan);
  const result = { rolledBack: true, namespace, name, fromRevision: plan.fromRevision, toRevision: plan.toRevision, images, resourceVersion: after.metadata?.resourceVersion };
  io.out(cmd.output === 'json' ? JSON.stringify(result, null, 2) : `deployment.apps/${name} rolled back to revision ${plan.toRevision} (${images})`);
  return EXIT.ok;
}
