import { z } from 'zod';
import { preflightCard } from '../src/slack/blocks/preflight-card.js';
import { defineCommand, TARGET_OPTIONS, targetFields } from './args.js';

const CONTAINER = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** "IMAGE" or "CONTAINER=IMAGE"; the image itself is left for the preflight to judge (an invalid one is a finding). */
const imageChange = z
  .string({ error: 'missing --image (the image the change would run: --image IMAGE, or --image CONTAINER=IMAGE for one of several containers)' })
  .transform((v) => {
    const i = v.indexOf('=');
    return i < 0 ? { image: v.trim() } : { container: v.slice(0, i).trim(), image: v.slice(i + 1).trim() };
  })
  .refine((c) => c.image !== '', 'expected an image after the container name, such as api=registry.example.com/api:v2.1.0')
  .refine((c) => c.container === undefined || CONTAINER.test(c.container), 'expected a container name (lowercase letters, digits and "-") before "="');

export const preflight = defineCommand({
  name: 'preflight',
  usage: '/deploy preflight NAME --image [CONTAINER=]IMAGE [-n NAMESPACE]',
  description: 'Would this change work? Checks the image, configuration, probes, scheduling, quota and admission (dry runs); changes nothing.',
  access: 'read',
  options: { ...TARGET_OPTIONS, image: { type: 'string' } },
  schema: z.object({ ...targetFields, image: imageChange }),
  progress: (t) => `Preflight of a change to ${t.namespace}/${t.name}…`,
  async run(ctx, args, target) {
    return { visibility: 'channel', message: preflightCard(await ctx.services.reading.preflight(target, args.image, ctx.found), target.cluster) };
  },
});
