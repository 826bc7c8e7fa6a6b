import type { z } from 'zod';
import type { OptionSpec } from '../src/cli/args.js';
import type { DeploymentTarget } from '../src/ports.js';
import type { Approvals } from '../src/services/approvals.js';
import type { AuditTrail } from '../src/services/audit.js';
import type { Incidents } from '../src/services/incidents.js';
import type { Found, ReadingService } from '../src/services/reading.js';
import type { SlackMessage } from '../src/slack/blocks/types.js';

export type { DeploymentTarget } from '../src/ports.js';

/** The services commands call: reading, proposing and voting, the audit trail, incidents. */
export interface BotServices {
  reading: ReadingService;
  approvals: Approvals;
  audit: AuditTrail;
  incidents: Incidents;
}

export interface CommandContext {
  userId: string;
  channelId: string;
  /** The thread the request came from (a button on a card in a thread). */
  threadTs?: string;
  services: BotServices;
  /** Pass to the service: it runs once the deployment is known to exist, and shows the progress line. */
  found: Found;
}

/** What a command asked for, before the channel's binding fills in the cluster and namespace. */
export interface RequestedTarget {
  name: string;
  namespace?: string;
  cluster?: string;
}

/** Where the answer goes: the channel (visible to all, updated in place) or only to the requester. */
export interface CommandResult {
  visibility: 'channel' | 'ephemeral';
  message: SlackMessage;
  /** Called with the channel message's ts once it is posted (a proposal card keeps it for its thread). */
  posted?(ts: string): Promise<void>;
}

export type Access = 'read' | 'act';

/** One `/deploy` subcommand: parse (zod) → call a service → render. */
export interface SubCommand<A extends RequestedTarget> {
  name: string;
  usage: string;
  description: string;
  access: Access;
  options: OptionSpec;
  /** Names of the positionals after NAME (e.g. CONTAINER=IMAGE), as the schema's fields. */
  positionals?: string[];
  /** From parsed flags and positionals to typed arguments; messages name the bad argument. */
  schema: z.ZodType<A>;
  /** The in-place progress line shown while `run` works, if it takes a while. */
  progress?(target: DeploymentTarget): string;
  run(ctx: CommandContext, args: A, target: DeploymentTarget): Promise<CommandResult>;
}

/** A subcommand with its argument type hidden: parse once, then run. */
export interface Command {
  name: string;
  usage: string;
  description: string;
  access: Access;
  /** Parses the arguments (throws a USAGE MedicError naming the problem). */
  prepare(tokens: string[]): PreparedCommand | PreparedUntargeted;
}

/** A command about no one deployment (`/deploy incident`): the channel's binding is not consulted, and `run` gets no target. */
export interface PreparedUntargeted {
  untargeted: true;
  run(ctx: CommandContext): Promise<CommandResult>;
}

export interface PreparedCommand {
  requested: RequestedTarget;
  progress?(target: DeploymentTarget): string;
  run(ctx: CommandContext, target: DeploymentTarget): Promise<CommandResult>;
}
