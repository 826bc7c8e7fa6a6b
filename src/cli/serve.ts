import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import { startServer } from '../main.js';
import { parseCommandArgs } from './args.js';
import type { CliIO } from './io.js';

/** `deploy-medic serve`: the bot, until SIGINT or SIGTERM. */
export async function serveCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  parseCommandArgs('serve', argv, {});
  const config = loadConfig(env, 'serve');
  const log = createLogger({ level: config.logLevel });
  const server = await startServer(config, log);
  io.out(`deploy-medic listening on port ${server.port} (${config.slack.appToken ? 'Socket Mode' : 'HTTP, POST /slack/events'})`);
  await io.untilInterrupted();
  log.info('shutting down');
  await server.stop();
  io.release();
  return 0;
}
