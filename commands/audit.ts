import { auditCard } from '../src/slack/blocks/audit-card.js';
import { defineCommand, TARGET_OPTIONS, targetSchema } from './args.js';

export const audit = defineCommand({
  name: 'audit',
  usage: '/deploy audit NAME [-n NAMESPACE]',
  description: 'Proposals, votes, executions and their results for a deployment, with who and when.',
  access: 'read',
  options: TARGET_OPTIONS,
  schema: targetSchema,
  async run(ctx, _args, target) {
    return { visibility: 'ephemeral', message: auditCard(target, await ctx.services.audit.list(target)) };
  },
});
