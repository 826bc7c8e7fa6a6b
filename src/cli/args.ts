import { parseArgs, type ParseArgsConfig } from 'node:util';
import { MedicError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node:util parseArgs with errors that name the bad argument and list what is accepted. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals) {
      throw new MedicError('USAGE', `unexpected argument "${parsed.positionals[positionals]}"`);
    }
    return parsed;
  } catch (e) {
    if (e instanceof MedicError) throw e;
    const accepted = Object.entries(options)
      .map(([name, o]) => `--${name}${o.type === 'string' ? ' VALUE' : ''}`)
      .join(', ');
    const msg = (e as Error).message.split('\n')[0]!.replace(/\. To specify a positional argument.*$/, '');
    throw new MedicError('USAGE', `${msg} (accepted options for ${command}: ${accepted})`);
  }
}

export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new MedicError('USAGE', `--${name}: expected an integer from ${min} to ${max}, got "${value}"`);
  }
  return Number(value);
}

export function choiceOption<T extends string>(name: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!choices.includes(value as T)) throw new MedicError('USAGE', `--${name}: expected one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}
