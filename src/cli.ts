import { DIAGNOSE_USAGE, diagnoseCommand } from './cli/diagnose.js';
import { HISTORY_USAGE, historyCommand } from './cli/history.js';
import { processIO, type CliIO } from './cli/io.js';
import { ROLLBACK_USAGE, rollbackCommand } from './cli/rollback.js';
import { PLAYGROUND_USAGE, playgroundCommand } from './cli/playground.js';
import { SERVE_USAGE, serveCommand } from './cli/serve.js';
import { SIM_USAGE, simCommand } from './cli/sim.js';
import { STATUS_USAGE, statusCommand } from './cli/status.js';
import { EXIT, toMedicError, userMessage } from './errors.js';

const USAGE = `Usage:
  ${SERVE_USAGE}
  ${DIAGNOSE_USAGE}
  ${STATUS_USAGE}
  ${HISTORY_USAGE}
  ${ROLLBACK_USAGE}
  ${PLAYGROUND_USAGE}
  ${SIM_USAGE}
  deploy-medic help

Exit codes: 0 healthy/success, 1 the deployment is failing, 2 usage, configuration or connection error.`;

/** `env` is for tests; by default config.ts reads process.env. */
type Env = Record<string, string | undefined> | undefined;
type Command = (argv: string[], io: CliIO, env: Env) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  diagnose: diagnoseCommand,
  status: statusCommand,
  history: historyCommand,
  rollback: rollbackCommand,
  playground: playgroundCommand,
  sim: simCommand,
};

/** Entry point of `deploy-medic`: returns the exit code (0 ok, 1 failing deployment, 2 usage/config/connection error). */
export async function main(argv: string[], io: CliIO = processIO, env?: Env): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command ? EXIT.ok : EXIT.error;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`deploy-medic: unknown command "${command}" (accepted: ${Object.keys(COMMANDS).join(', ')}, help)`);
    io.err(USAGE);
    return EXIT.error;
  }
  try {
    return await run(rest, io, env);
  } catch (e) {
    const err = toMedicError(e);
    io.err(`deploy-medic ${command}: ${userMessage(err)}`);
    return EXIT.error;
  }
}
