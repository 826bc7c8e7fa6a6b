import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Turns zod issues into lines naming the key, what is wrong and what is accepted. */
export function describeIssues(
  issues: readonly Issue[],
  opts: { keyPrefix?: string; secretKeys?: ReadonlySet<string>; acceptedKeys?: (path: PropertyKey[]) => string[] },
): string[] {
  return issues.map((issue) => {
    const key = formatPath(issue.path, opts.keyPrefix);
    if (issue.code === 'unrecognized_keys') {
      const accepted = opts.acceptedKeys?.(issue.path) ?? [];
      return issue.keys
        .map((k) => `${formatPath([...issue.path, k], opts.keyPrefix)}: unknown key${accepted.length ? ` (accepted here: ${accepted.join(', ')})` : ''}`)
        .join('\n');
    }
    const secret = issue.path.some((p) => opts.secretKeys?.has(String(p)));
    const got = !secret && 'input' in issue && issue.input !== undefined ? `, got ${JSON.stringify(issue.input)}` : '';
    if (issue.code === 'invalid_type') {
      if (issue.input === undefined) return `${key}: required (expected ${issue.expected})`;
      return `${key}: expected ${issue.expected}${got}`;
    }
    if (issue.code === 'invalid_value') {
      return `${key}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    }
    return `${key}: ${issue.message}${got}`;
  });
}

function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}
