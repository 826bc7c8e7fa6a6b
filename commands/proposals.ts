import { z } from 'zod';
import type { ActionRequest } from '../src/domain/actions/index.js';
import { parseImageRef } from '../src/domain/image-ref.js';
import { isQuantity } from '../src/domain/quantity.js';
import { proposalCard } from '../src/slack/blocks/proposal-card.js';
import { defineCommand, TARGET_OPTIONS, targetFields } from './args.js';
import type { Command, RequestedTarget } from './types.js';

/**
 * A `/deploy` command that proposes one action (domain/actions): its
 * arguments become the action request; the service plans it against the
 * deployment as it is now and stores it for approval. NAME may list several
 * deployments of one namespace where `several` allows it (seed 003).
 */
function proposalCommand<A extends RequestedTarget>(spec: {
  name: ActionRequest['kind'];
  usage: string;
  description: string;
  what: string;
  schema: z.ZodType<A>;
  options?: typeof TARGET_OPTIONS;
  positionals?: string[];
  request: (args: A) => ActionRequest;
  several?: boolean;
}): Command {
  return defineCommand({
    name: spec.name,
    usage: spec.usage,
    description: spec.description,
    access: 'act',
    options: spec.options ?? TARGET_OPTIONS,
    positionals: spec.positionals,
    schema: spec.schema,
    progress: (t) => `Preparing ${spec.what} proposal for ${t.namespace}/${t.name}…`,
    async run(ctx, args, target) {
      const names = spec.several ? [...new Set(target.name.split(','))] : [target.name];
      const view = await ctx.services.approvals.propose(
        { targets: names.map((name) => ({ ...target, name })), request: spec.request(args), requestedBy: ctx.userId, channel: ctx.channelId, ...(ctx.threadTs ? { threadTs: ctx.threadTs } : {}) },
        ctx.found,
      );
      return { visibility: 'channel', message: proposalCard(view), posted: (ts) => ctx.services.approvals.attachCard(view.id, ts) };
    },
  });
}

const targetOnly = z.object(targetFields);

const revision = z
  .string()
  .regex(/^\d{1,9}$/, 'expected a revision number such as 3')
  .transform(Number)
  .refine((n) => n >= 1, 'expected a revision number from 1');

const containerName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a container name');

/** `CONTAINER=VALUE`, the form kubectl set image takes. */
const assignment = (what: string, valid: (v: string) => boolean, example: string) =>
  z
    .string({ error: `missing CONTAINER=${what.toUpperCase()} (for example ${example})` })
    .regex(/^[^=]+=.+$/, `expected CONTAINER=${what.toUpperCase()}, for example ${example}`)
    .transform((s) => ({ container: s.slice(0, s.indexOf('=')), value: s.slice(s.indexOf('=') + 1) }))
    .refine((a) => containerName.safeParse(a.container).success, 'the container is not a container name')
    .refine((a) => valid(a.value), `the ${what} is not valid (for example ${example})`);

/** Seed 003 rolls back a whole release at once: a few deployments, comma-separated. */
const MAX_DEPLOYMENTS = 10;
const deploymentList = z
  .string({ error: 'missing the deployment name' })
  .max(MAX_DEPLOYMENTS * 254, `at most ${MAX_DEPLOYMENTS} deployments`)
  .refine((s) => s.split(',').length <= MAX_DEPLOYMENTS, `at most ${MAX_DEPLOYMENTS} deployments at once`)
  .refine((s) => s.split(',').every((n) => targetFields.name.safeParse(n).success), 'expected deployment names separated by commas, such as api,frontend,chat');

export const rollback = proposalCommand({
  name: 'rollback',
  usage: '/deploy rollback NAME[,NAME...] [-n NAMESPACE] [--to-revision N]',
  description: 'Propose going back to the previous (or the given) revision, as kubectl rollout undo would; several deployments take one approval.',
  what: 'a rollback',
  several: true,
  schema: z.object({ ...targetFields, name: deploymentList, toRevision: revision.optional() }),
  options: { ...TARGET_OPTIONS, 'to-revision': { type: 'string' } },
  request: (a) => ({ kind: 'rollback', toRevision: a.toRevision }),
});

export const restart = proposalCommand({
  name: 'restart',
  usage: '/deploy restart NAME [-n NAMESPACE]',
  description: 'Propose replacing every pod (kubectl rollout restart).',
  what: 'a restart',
  schema: targetOnly,
  request: () => ({ kind: 'restart' }),
});

export const pause = proposalCommand({
  name: 'pause',
  usage: '/deploy pause NAME [-n NAMESPACE]',
  description: 'Propose pausing the rollout (kubectl rollout pause).',
  what: 'a pause',
  schema: targetOnly,
  request: () => ({ kind: 'pause' }),
});

export const resume = proposalCommand({
  name: 'resume',
  usage: '/deploy resume NAME [-n NAMESPACE]',
  description: 'Propose resuming a paused rollout (kubectl rollout resume).',
  what: 'a resume',
  schema: targetOnly,
  request: () => ({ kind: 'resume' }),
});

export const setImage = proposalCommand({
  name: 'set-image',
  usage: '/deploy set-image NAME CONTAINER=IMAGE [-n NAMESPACE]',
  description: 'Propose a new image for one container (kubectl set image).',
  what: 'an image',
  positionals: ['assignment'],
  schema: z.object({ ...targetFields, assignment: assignment('image', (v) => parseImageRef(v).ok, 'api=registry.example.com/api:v2.1.0') }),
  request: (a) => ({ kind: 'set-image', container: a.assignment.container, image: a.assignment.value }),
});

export const setMemoryLimit = proposalCommand({
  name: 'set-memory-limit',
  usage: '/deploy set-memory-limit NAME CONTAINER=QUANTITY [-n NAMESPACE]',
  description: 'Propose a new memory limit for one container (kubectl set resources --limits=memory).',
  what: 'a memory',
  positionals: ['assignment'],
  schema: z.object({ ...targetFields, assignment: assignment('memory limit', isQuantity, 'api=1Gi') }),
  request: (a) => ({ kind: 'set-memory-limit', container: a.assignment.container, memory: a.assignment.value }),
});

/** A whole number from a flag, with the range in the message. */
const wholeNumber = (what: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `expected ${what} from ${min} to ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected ${what} from ${min} to ${max}`);

export const scale = proposalCommand({
  name: 'scale',
  usage: '/deploy scale NAME --replicas N [-n NAMESPACE]',
  description: 'Propose a new replica count (kubectl scale).',
  what: 'a scale',
  options: { ...TARGET_OPTIONS, replicas: { type: 'string' } },
  schema: z.object({ ...targetFields, replicas: z.string({ error: 'missing; give the replica count, for example --replicas 3' }).pipe(wholeNumber('a replica count', 0, 10_000)) }),
  request: (a) => ({ kind: 'scale', replicas: a.replicas }),
});

export const setProbe = proposalCommand({
  name: 'set-probe',
  usage: '/deploy set-probe NAME CONTAINER --probe liveness|readiness|startup [--port P] [--initial-delay S] [-n NAMESPACE]',
  description: "Propose pointing a probe at another port or delaying it; a startup probe is added from the liveness probe (kubectl patch).",
  what: 'a probe',
  positionals: ['container'],
  options: { ...TARGET_OPTIONS, probe: { type: 'string' }, port: { type: 'string' }, 'initial-delay': { type: 'string' } },
  schema: z
    .object({
      ...targetFields,
      container: z.string({ error: 'missing CONTAINER (for example /deploy set-probe api-server api --probe liveness --port 8080)' }).pipe(containerName),
      probe: z.enum(['liveness', 'readiness', 'startup'], { error: 'expected liveness, readiness or startup' }),
      port: wholeNumber('a port', 1, 65535).optional(),
      initialDelay: wholeNumber('seconds', 0, 86_400).optional(),
    })
    .refine((a) => a.port !== undefined || a.initialDelay !== undefined, { message: 'give --port, --initial-delay or both: what should change', path: ['port'] }),
  request: (a) => ({ kind: 'set-probe', container: a.container, probe: a.probe, port: a.port, initialDelaySeconds: a.initialDelay }),
});
