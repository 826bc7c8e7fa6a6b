import { parseArgs } from 'node:util';
import { MedicError } from '../errors.js';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export interface ParsedArgs {
  positionals: string[];
  string(name: string): string | undefined;
  strings(name: string): string[];
  flag(name: string): boolean;
}

/** node:util parseArgs with errors that name the bad argument and list what is accepted. */
export function parseCommandArgs(command: string, argv: string[], options: OptionSpec, positionals = 0): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: positionals > 0, strict: true });
  } catch (e) {
    const accepted = Object.entries(options)
      .map(([name, o]) => `--${name}${o.type === 'string' ? ' VALUE' : ''}`)
      .join(', ');
    const msg = (e as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw new MedicError('USAGE', `${msg} (accepted options for ${command}: ${accepted})`);
  }
  if (parsed.positionals.length > positionals) {
    throw new MedicError('USAGE', `unexpected argument ${JSON.stringify(parsed.positionals[positionals]!.slice(0, 60))}`);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  return {
    positionals: parsed.positionals,
    string: (name) => {
      const v = values[name];
      return typeof v === 'string' ? v : undefined;
    },
    strings: (name) => {
      const v = values[name];
      return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
    },
    flag: (name) => values[name] === true,
  };
}

export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new MedicError('USAGE', `--${name}: expected an integer from ${min} to ${max}, got ${JSON.stringify(value.slice(0, 60))}`);
  }
  return Number(value);
}

export function choiceOption<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new MedicError('USAGE', `--${name}: expected one of ${choices.join(', ')}, got ${JSON.stringify(value.slice(0, 60))}`);
  return value as T;
}
