import { statusCard } from '../src/slack/blocks/status-card.js';
import { defineCommand, TARGET_OPTIONS, targetSchema } from './args.js';

export const status = defineCommand({
  name: 'status',
  usage: '/deploy status NAME [-n NAMESPACE] [--cluster CLUSTER]',
  description: 'Rollout state in kubectl’s words, replicas, pods and recent warnings.',
  access: 'read',
  options: TARGET_OPTIONS,
  schema: targetSchema,
  progress: (t) => `Reading ${t.namespace}/${t.name}…`,
  async run(ctx, _args, target) {
    return { visibility: 'channel', message: statusCard(await ctx.services.reading.status(target, ctx.found)) };
  },
});
