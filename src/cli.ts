import { EXIT, toMedicError, userMessage } from './errors.js';
import { SIM_USAGE, simCommand } from './cli/sim.js';
import { processIO, type CliIO } from './cli/io.js';

const USAGE = `Usage:
  ${SIM_USAGE}
  deploy-medic help`;

const COMMANDS: Record<string, (argv: string[], io: CliIO) => Promise<number>> = {
  sim: simCommand,
};

/** Entry point of `deploy-medic`: returns the exit code (0 ok, 1 failing deployment, 2 usage/config/connection error). */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
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
    return await run(rest, io);
  } catch (e) {
    const err = toMedicError(e);
    io.err(`deploy-medic ${command}: ${userMessage(err)}`);
    return EXIT.error;
  }
}
