import { z } from 'zod';
import { proposalCard } from '../src/slack/blocks/proposal-card.js';
import type { ProposedAction } from '../src/services/views.js';
import { defineCommand, TARGET_OPTIONS, targetFields, targetSchema } from './args.js';
import type { Command } from './types.js';

/** Approvals and execution arrive with the approval workflow; until then a proposal is where actions stop. */
export const PROPOSAL_NOTE = 'Proposal recorded. Approval and execution are not enabled in this version; nothing has been changed.';

function proposalCommand<A extends z.infer<typeof targetSchema>>(
  name: ProposedAction,
  usage: string,
  description: string,
  schema: z.ZodType<A>,
  options = TARGET_OPTIONS,
  toRevision: (a: A) => number | undefined = () => undefined,
): Command {
  return defineCommand({
    name,
    usage,
    description,
    access: 'act',
    options,
    schema,
    progress: (t) => `Preparing a ${name} proposal for ${t.namespace}/${t.name}…`,
    async run(ctx, args, target) {
      const proposal = await ctx.services.propose(name, target, ctx.userId, { toRevision: toRevision(args) });
      return { visibility: 'channel', message: proposalCard(proposal, PROPOSAL_NOTE) };
    },
  });
}

const rollbackSchema = z.object({
  ...targetFields,
  toRevision: z
    .string()
    .regex(/^\d{1,9}$/, 'expected a revision number such as 3')
    .transform(Number)
    .refine((n) => n >= 1, 'expected a revision number from 1')
    .optional(),
});

export const rollback = proposalCommand(
  'rollback',
  '/deploy rollback NAME [-n NAMESPACE] [--to-revision N]',
  'Propose going back to the previous (or the given) revision, as kubectl rollout undo would.',
  rollbackSchema,
  { ...TARGET_OPTIONS, 'to-revision': { type: 'string' } },
  (a) => a.toRevision,
);
export const restart = proposalCommand('restart', '/deploy restart NAME [-n NAMESPACE]', 'Propose replacing every pod (kubectl rollout restart).', targetSchema);
export const pause = proposalCommand('pause', '/deploy pause NAME [-n NAMESPACE]', 'Propose pausing the rollout (kubectl rollout pause).', targetSchema);
export const resume = proposalCommand('resume', '/deploy resume NAME [-n NAMESPACE]', 'Propose resuming a paused rollout (kubectl rollout resume).', targetSchema);
