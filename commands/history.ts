import { historyCard } from '../src/slack/blocks/history-card.js';
import { defineCommand, TARGET_OPTIONS, targetSchema } from './args.js';

export const history = defineCommand({
  name: 'history',
  usage: '/deploy history NAME [-n NAMESPACE] [--cluster CLUSTER]',
  description: 'Revisions with images and change causes, as kubectl rollout history lists them.',
  access: 'read',
  options: TARGET_OPTIONS,
  schema: targetSchema,
  async run(ctx, _args, target) {
    return { visibility: 'channel', message: historyCard(await ctx.services.reading.history(target, ctx.found)) };
  },
});
