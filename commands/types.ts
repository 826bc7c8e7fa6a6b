import type { z } from 'zod';
import type { OptionSpec } from '../src/cli/args.js';
import type { DiagnosisReport } from '../src/domain/diagnosis.js';
import type { SlackMessage } from '../src/slack/blocks/types.js';
import type { HistoryView, LogsView, ProposalView, ProposedAction, StatusView } from '../src/services/views.js';

/** A deployment a command is about, after the channel's binding was applied. */
export interface DeploymentTarget {
  cluster: string;
  namespace: string;
  name: string;
}

/** Details a proposal needs beyond its target. */
export interface ProposalOptions {
  toRevision?: number;
  container?: string;
  image?: string;
  memory?: string;
}

/** What commands may call; each method reads or proposes, none executes a change. */
export interface BotServices {
  /** Throws NOT_FOUND naming the missing namespace or deployment; cheap, so it runs before any progress is shown. */
  assertExists(t: DeploymentTarget): Promise<void>;
  status(t: DeploymentTarget): Promise<StatusView>;
  diagnose(t: DeploymentTarget): Promise<DiagnosisReport>;
  history(t: DeploymentTarget): Promise<HistoryView>;
  logs(t: { cluster: string; namespace: string; name: string; pod?: string; container?: string; previous: boolean; tailLines: number }): Promise<LogsView>;
  propose(action: ProposedAction, t: DeploymentTarget, requestedBy: string, opts: ProposalOptions): Promise<ProposalView>;
}

export interface CommandContext {
  userId: string;
  services: BotServices;
}

/** What a command asked for, before the channel's binding fills in the cluster and namespace. */
export interface RequestedTarget {
  name: string;
  namespace?: string;
  cluster?: string;
}

/** Where the answer goes: the channel (visible to all, updated in place) or only to the requester. */
export type CommandResult = { visibility: 'channel' | 'ephemeral'; message: SlackMessage };

/** One `/deploy` subcommand: parse (zod) → call a service → render. */
export interface SubCommand<A extends RequestedTarget> {
  name: string;
  usage: string;
  description: string;
  access: 'read' | 'act';
  options: OptionSpec;
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
  access: 'read' | 'act';
  /** Parses the arguments (throws a USAGE MedicError naming the problem). */
  prepare(tokens: string[]): PreparedCommand;
}

export interface PreparedCommand {
  requested: RequestedTarget;
  progress?(target: DeploymentTarget): string;
  run(ctx: CommandContext, target: DeploymentTarget): Promise<CommandResult>;
}
