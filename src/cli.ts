import { processIO, type CliIO } from './cli/io.js';
import { USAGES } from './cli/usage.js';
import { EXIT, toMedicError, userMessage } from './errors.js';

const USAGE = `Usage:
${Object.values(USAGES)
  .map((u) => `  ${u}`)
  .join('\n')}
  deploy-medic help

Exit codes: 0 healthy/success, 1 the deployment is failing, 2 usage, configuration or connection error.`;

/** `env` is for tests; by default config.ts reads process.env. */
type Env = Record<string, string | undefined> | undefined;
type Command = (argv: string[], io: CliIO, env: Env) => Promise<number>;

/**
 * Each command is imported when it runs, so `diagnose` loads neither the
 * Slack bot nor the simulators, and `sim` loads no Slack.
 */
const COMMANDS: Record<keyof typeof USAGES, () => Promise<Command>> = {
  serve: async () => (await import('./cli/serve.js')).serveCommand,
  diagnose: async () => (await import('./cli/diagnose.js')).diagnoseCommand,
  status: async () => (await import('./cli/status.js')).statusCommand,
  history: async () => (await import('./cli/history.js')).historyCommand,
  rollback: async () => (await import('./cli/rollback.js')).rollbackCommand,
  'rollout-status': async () => (await import('./cli/rollout-status.js')).rolloutStatusCommand,
  preflight: async () => (await import('./cli/preflight.js')).preflightCommand,
  audit: async () => (await import('./cli/audit.js')).auditCommand,
  incident: async () => (await import('./cli/incident.js')).incidentCommand,
  playground: async () => (await import('./cli/playground.js')).playgroundCommand,
  sim: async () => (await import('./cli/sim.js')).simCommand,
};

const isCommand = (name: string): name is keyof typeof COMMANDS => Object.hasOwn(COMMANDS, name);

/** Entry point of `deploy-medic`: returns the exit code (0 ok, 1 failing deployment, 2 usage/config/connection error). */
export async function main(argv: string[], io: CliIO = processIO, env?: Env): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command ? EXIT.ok : EXIT.error;
  }
  if (!isCommand(command)) {
    io.err(`deploy-medic: unknown command "${command}" (accepted: ${Object.keys(COMMANDS).join(', ')}, help)`);
    io.err(USAGE);
    return EXIT.error;
  }
  try {
    return await (await COMMANDS[command]())(rest, io, env);
  } catch (e) {
    const err = toMedicError(e);
    io.err(`deploy-medic ${command}: ${userMessage(err)}`);
    return EXIT.error;
  }
}
