import { z } from 'zod';
import { parseCommandArgs, type OptionSpec } from '../src/cli/args.js';
import { quoteInput } from '../src/domain/names.js';
import { MedicError } from '../src/errors.js';
import type { Command, RequestedTarget, SubCommand } from './types.js';

/** Flags every deployment subcommand takes. */
export const TARGET_OPTIONS: OptionSpec = {
  namespace: { type: 'string', short: 'n' },
  cluster: { type: 'string' },
};

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'use lowercase letters, digits and "-", at most 63 characters');
const dnsSubdomain = z
  .string()
  .max(253, 'at most 253 characters')
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit');

export const targetFields = {
  name: z.string({ error: 'missing the deployment name' }).pipe(dnsSubdomain),
  namespace: dnsLabel.optional(),
  cluster: z.string().min(1).max(63).optional(),
};

export const targetSchema = z.object(targetFields);

/** Tokens → flags and positionals (node:util parseArgs) → typed arguments (zod), or one clear USAGE error. */
export function parseSubcommand<A extends RequestedTarget>(cmd: SubCommand<A>, tokens: string[]): A {
  const extra = cmd.positionals ?? [];
  const parsed = parseCommandArgs(cmd.name, tokens, cmd.options, 1 + extra.length);
  const raw: Record<string, unknown> = { name: parsed.positionals[0] };
  extra.forEach((field, i) => {
    if (parsed.positionals[i + 1] !== undefined) raw[field] = parsed.positionals[i + 1];
  });
  for (const [key, spec] of Object.entries(cmd.options)) {
    const value = spec.type === 'boolean' ? parsed.flag(key) : parsed.string(key);
    if (value !== undefined) raw[camel(key)] = value;
  }
  const result = cmd.schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  const value = typeof raw[field] === 'string' ? ` ${quoteInput(raw[field] as string)}` : '';
  const missing = raw[field] === undefined && (field === 'name' || extra.includes(field));
  throw new MedicError('USAGE', missing ? issue.message : `${flagName(field, extra)}${value}: ${issue.message}`);
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
const flagName = (field: string, positionals: string[] = []) =>
  field === 'name' ? 'deployment name' : positionals.includes(field) ? field : `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export function defineCommand<A extends RequestedTarget>(spec: SubCommand<A>): Command {
  const { name, usage, description, access } = spec;
  return {
    name,
    usage,
    description,
    access,
    prepare(tokens) {
      const args = parseSubcommand(spec, tokens);
      return { requested: { name: args.name, namespace: args.namespace, cluster: args.cluster }, progress: spec.progress, run: (ctx, target) => spec.run(ctx, args, target) };
    },
  };
}
