import { diagnosisCard } from '../src/slack/blocks/diagnosis-card.js';
import { defineCommand, TARGET_OPTIONS, targetSchema } from './args.js';

export const diagnose = defineCommand({
  name: 'diagnose',
  usage: '/deploy diagnose NAME [-n NAMESPACE] [--cluster CLUSTER]',
  description: 'Root cause first, with evidence from events, logs and the registry, and fixes as buttons.',
  access: 'read',
  options: TARGET_OPTIONS,
  schema: targetSchema,
  progress: (t) => `Diagnosing ${t.namespace}/${t.name}…`,
  async run(ctx, _args, target) {
    return { visibility: 'channel', message: diagnosisCard(await ctx.services.reading.diagnose(target, ctx.found), target.cluster) };
  },
});
