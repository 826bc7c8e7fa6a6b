import { z } from 'zod';
import { logsCard } from '../src/slack/blocks/logs-card.js';
import { defineCommand, TARGET_OPTIONS, targetFields } from './args.js';

/** Lines shown unless --tail says otherwise. */
const DEFAULT_TAIL_LINES = 100;

const schema = z.object({
  ...targetFields,
  pod: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a pod name').max(253).optional(),
  container: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'expected a container name').max(63).optional(),
  previous: z.boolean().default(false),
  tail: z
    .string()
    .regex(/^\d{1,4}$/, 'expected a number of lines from 1 to 500')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 500, 'expected a number of lines from 1 to 500')
    .default(DEFAULT_TAIL_LINES),
});

/** NAME is a deployment (its most relevant pod is chosen) or, with --pod, that pod of the deployment. */
export const logs = defineCommand({
  name: 'logs',
  usage: '/deploy logs NAME [-n NAMESPACE] [--pod POD] [-c CONTAINER] [--previous] [--tail N]',
  description: 'The last lines of a container’s log (the failing pod’s by default), secrets redacted.',
  access: 'read',
  options: { ...TARGET_OPTIONS, pod: { type: 'string' }, container: { type: 'string', short: 'c' }, previous: { type: 'boolean', short: 'p' }, tail: { type: 'string' } },
  schema,
  async run(ctx, args, target) {
    const view = await ctx.services.reading.logs({ ...target, pod: args.pod, container: args.container, previous: args.previous, tailLines: args.tail }, ctx.found);
    return { visibility: 'channel', message: logsCard(view) };
  },
});
