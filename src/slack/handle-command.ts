import { performance } from 'node:perf_hooks';
import { findSubcommand, HELP } from '../../commands/index.js';
import type { Access, BotServices, Command, DeploymentTarget, PreparedCommand, PreparedUntargeted } from '../../commands/types.js';
import type { Policy } from '../config.js';
import { toMedicError, userMessage, type MedicError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../http/metrics.js';
import { resolveTarget } from '../domain/policy.js';
import type { AccessService } from '../services/access.js';
import { errorMessage } from './blocks/error.js';
import { helpMessage } from './blocks/help.js';
import { progressMessage } from './blocks/progress.js';
import type { ReplyChannel } from './replies.js';
import { tokenize } from './tokenize.js';

export interface SlackDeps {
  services: BotServices;
  access: AccessService;
  policy: Policy;
  log: Logger;
  metrics: Metrics;
}

export interface Invocation {
  text: string;
  userId: string;
  channelId: string;
}

/**
 * `/deploy …` after the ack: parse, then run it as any other request.
 * Help and usage problems go only to the requester.
 */
export async function handleDeployCommand(deps: SlackDeps, inv: Invocation, reply: ReplyChannel): Promise<void> {
  const started = performance.now();
  let name = 'help';
  let outcome = 'ok';
  try {
    const [sub, ...rest] = tokenize(inv.text);
    if (!sub || sub === 'help' || sub === '--help') return await reply.ephemeral(helpMessage(HELP));
    const cmd = findSubcommand(sub);
    if (!cmd) {
      outcome = 'usage';
      return await reply.ephemeral(helpMessage(HELP, { input: inv.text, problem: `unknown subcommand ${JSON.stringify(sub.slice(0, 40))}` }));
    }
    name = cmd.name;
    const prepared = prepareOrExplain(cmd, rest, inv.text);
    if ('help' in prepared) {
      outcome = 'usage';
      return await reply.ephemeral(prepared.help);
    }
    outcome = await runRequest(deps, { ...prepared, name: `/deploy ${cmd.name}`, access: cmd.access }, inv, reply);
  } catch (e) {
    outcome = await reportFailure(deps, e, name, inv, reply, false);
  } finally {
    deps.metrics.commandFinished(name, outcome, (performance.now() - started) / 1000);
  }
}

/** A request to run against one deployment (or, untargeted, against none), from a command or a button. */
export type Request = (PreparedCommand | PreparedUntargeted) & {
  /** How the user would name it: "/deploy rollback", "the Logs button". */
  name: string;
  access: Access;
};

/**
 * Authorize (before any Kubernetes call), resolve the target from the
 * channel's binding, show progress in place, run, render. Every failure
 * becomes a message for the user; none escapes. Returns the outcome label.
 */
export async function runRequest(deps: SlackDeps, req: Request, who: { userId: string; channelId: string; threadTs?: string }, reply: ReplyChannel): Promise<string> {
  let posted = false;
  try {
    const decision = await deps.access.check(who.userId, req.access === 'read' ? 'read' : 'operate');
    if (!decision.ok) {
      deps.log.info({ user: who.userId, request: req.name }, 'refused: not in the policy');
      await reply.ephemeral(
        errorMessage(
          `You may not use ${req.name}`,
          `It needs the ${decision.role} role of the policy file, and <@${who.userId}> does not have it.`,
          `Ask an admin to add you (or one of your user groups) to access.${decision.role} in the policy file.`,
        ),
      );
      return 'forbidden';
    }
    if ('untargeted' in req) {
      const ctx = { userId: who.userId, channelId: who.channelId, ...(who.threadTs ? { threadTs: who.threadTs } : {}), services: deps.services, found: async () => {} };
      const result = await req.run(ctx);
      if (result.visibility === 'ephemeral') await reply.ephemeral(result.message);
      else {
        const ts = await reply.post(result.message);
        if (ts) await result.posted?.(ts);
      }
      return 'ok';
    }
    const resolved = resolveTarget(deps.policy, who.channelId, req.requested);
    if (!resolved.ok) {
      await reply.ephemeral(errorMessage(`Cannot use ${req.name} here`, resolved.problem));
      return 'usage';
    }
    const target: DeploymentTarget = { ...resolved.target, name: req.requested.name };
    // The service calls `found` once it has read the deployment: a mistyped name fails before that, so the
    // failure goes to the requester alone and nothing shows in the channel.
    const found = async () => {
      if (!req.progress || posted) return;
      await reply.post(progressMessage(req.progress(target)));
      posted = true;
    };
    const ctx = { userId: who.userId, channelId: who.channelId, ...(who.threadTs ? { threadTs: who.threadTs } : {}), services: deps.services, found };
    const result = await req.run(ctx, target);
    if (result.visibility === 'ephemeral') {
      await reply.ephemeral(result.message);
      return 'ok';
    }
    const ts = posted ? await reply.update(result.message) : await reply.post(result.message);
    if (ts) await result.posted?.(ts);
    return 'ok';
  } catch (e) {
    return reportFailure(deps, e, req.name, who, reply, posted);
  }
}

/** A failure after the progress line is shown where the progress was; before it, only to the requester. */
async function reportFailure(deps: SlackDeps, e: unknown, name: string, who: { userId: string; channelId: string }, reply: ReplyChannel, posted: boolean): Promise<string> {
  const err = toMedicError(e);
  logFailure(deps.log, err, name, who);
  const message = errorMessage(userMessage(err), undefined, hintFor(err));
  await (posted ? reply.update(message) : reply.ephemeral(message)).catch((replyErr: unknown) =>
    deps.log.error({ err: replyErr, request: name }, 'could not tell the user about a failure'),
  );
  return err.code.toLowerCase();
}

function prepareOrExplain(cmd: Command, tokens: string[], text: string): PreparedCommand | PreparedUntargeted | { help: ReturnType<typeof helpMessage> } {
  try {
    return cmd.prepare(tokens);
  } catch (e) {
    const err = toMedicError(e);
    if (err.code !== 'USAGE') throw err;
    const help = HELP.filter((h) => h.name === cmd.name);
    return { help: helpMessage(help, { input: text, problem: err.message }) };
  }
}

function hintFor(err: MedicError): string | undefined {
  switch (err.code) {
    case 'CLUSTER_UNREACHABLE':
    case 'TIMEOUT':
      return 'The bot cannot reach the cluster right now; try again, or check its connectivity and kubeconfig.';
    case 'FORBIDDEN':
      return "The bot's service account lacks permission for this; see deploy/ for the RBAC it needs.";
    case 'NOT_FOUND':
      return 'Check the name and the namespace (-n).';
    default:
      return undefined;
  }
}

function logFailure(log: Logger, err: MedicError, request: string, who: { userId: string; channelId: string }): void {
  const expected = err.code === 'USAGE' || err.code === 'NOT_FOUND' || err.code === 'CONFLICT';
  const fields = { err, code: err.code, request, user: who.userId, channel: who.channelId };
  if (expected) log.info(fields, 'command refused');
  else log.error(fields, 'command failed');
}
