import { createLogger } from '../log.js';
import { startPlayground } from '../playground/playground.js';
import { intOption, parseCommandArgs } from './args.js';
import type { CliIO } from './io.js';

/** `deploy-medic playground`: the whole product against the test world, until interrupted. */
export async function playgroundCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('playground', argv, { port: { type: 'string' } });
  const port = intOption('port', args.string('port'), 0, 65535) ?? 3000;
  const pg = await startPlayground(port, createLogger({ level: 'warn' }));
  io.out(`Deploy Medic playground: open ${pg.url}`);
  io.out(`  the simulated cluster for kubectl: export KUBECONFIG=${pg.kubeconfigPath}`);
  io.out('  every failure scenario runs in it: deploy-medic sim --list-scenarios');
  await io.untilInterrupted();
  await pg.stop();
  return 0;
}
