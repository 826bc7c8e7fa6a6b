import { createLogger } from '../log.js';
import { startPlayground } from '../playground/playground.js';
import { intOption, parseCommandArgs } from './args.js';
import type { CliIO } from './io.js';

/** `deploy-medic playground`: the whole product against the test world, until interrupted. */
export async function playgroundCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs('playground', argv, { port: { type: 'string' } });
  const port = intOption('port', args.string('port'), 0, 65535) ?? 3000;
  const pg = await startPlayground({ port }, createLogger({ level: 'warn' }));
  io.out(`Deploy Medic playground: open ${pg.url}`);
  io.out('  break a scenario in the cluster panel and follow the incident: diagnosis, approval, rollback, PagerDuty');
  io.out(`  the simulated cluster for kubectl: export KUBECONFIG=${pg.kubeconfigPath}`);
  io.out(`  images of ${pg.registry.settings.host} served by ${pg.registry.kind === 'docker-registry' ? "Debian's docker-registry" : 'the simulated registry (docker-registry is not installed)'}`);
  await io.untilInterrupted();
  await pg.stop();
  io.release();
  return 0;
}
