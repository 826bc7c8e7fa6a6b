import type { CommandHelp } from '../src/services/views.js';
import { audit } from './audit.js';
import { diagnose } from './diagnose.js';
import { history } from './history.js';
import { incident } from './incident.js';
import { logs } from './logs.js';
import { preflight } from './preflight.js';
import { pause, restart, resume, rollback, scale, setImage, setMemoryLimit, setProbe } from './proposals.js';
import { status } from './status.js';
import type { Command } from './types.js';

/** Every `/deploy` subcommand, in the order help lists them. */
export const SUBCOMMANDS: readonly Command[] = [status, diagnose, preflight, logs, history, rollback, restart, pause, resume, setImage, setMemoryLimit, scale, setProbe, audit, incident];

export function findSubcommand(name: string): Command | undefined {
  return SUBCOMMANDS.find((c) => c.name === name);
}

export const HELP: CommandHelp[] = [
  ...SUBCOMMANDS.map(({ name, usage, description, access }) => ({ name, usage, description, access })),
  { name: 'help', usage: '/deploy help', description: 'This list.', access: 'read' },
];
