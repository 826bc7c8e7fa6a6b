/**
 * A Dockerfile, read the way BuildKit reads it, for tests that carry out its
 * instructions without a Docker engine (dockerfile-layout.ts). Only the
 * instructions and flags listed here are accepted: anything else fails with
 * the line it is on, so a test built on this cannot drift from the file.
 */

export interface Instruction {
  line: number;
  keyword: string;
  /** Leading --name=value flags (COPY --from=build). */
  flags: Record<string, string>;
  /** The rest of the line, flags removed. */
  args: string;
}

export interface Stage {
  base: string;
  name?: string;
  instructions: Instruction[];
}

/** Instructions and the flags each may carry. */
const KNOWN: Record<string, string[]> = { FROM: [], WORKDIR: [], COPY: ['from', 'link'], RUN: [], ENV: [], USER: [], EXPOSE: [], ENTRYPOINT: [], CMD: [] };

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    // A trailing backslash continues the instruction; comment lines inside it are dropped, as BuildKit does.
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      if (/^\s*#/.test(lines[i]!)) continue;
      line = `${line.slice(0, -1)} ${lines[i]!.trim()}`;
    }
    const [, word = '', rest = ''] = /^\s*(\S+)\s*(.*)$/.exec(line)!;
    const keyword = word.toUpperCase();
    const allowed = KNOWN[keyword];
    if (!allowed) throw new Error(`Dockerfile line ${start}: ${keyword} is not an instruction this test knows how to carry out (known: ${Object.keys(KNOWN).join(', ')})`);
    const flags: Record<string, string> = {};
    let args = rest.trim();
    for (let m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(args); m; m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(args)) {
      if (!allowed.includes(m[1]!)) throw new Error(`Dockerfile line ${start}: ${keyword} --${m[1]} is not a flag this test knows (known: ${allowed.map((f) => `--${f}`).join(', ') || 'none'})`);
      flags[m[1]!] = m[2] ?? 'true';
      args = args.slice(m[0].length);
    }
    const instruction = { line: start, keyword, flags, args };
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start}: expected FROM IMAGE [AS NAME], got "FROM ${args}"`);
      stages.push({ base: from[1]!, name: from[2], instructions: [] });
    } else {
      if (!stages.length) throw new Error(`Dockerfile line ${start}: ${keyword} before the first FROM`);
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

/** The exec form ["node", "bin/x.js"] of ENTRYPOINT and CMD; the shell form would put /bin/sh between the kubelet's SIGTERM and the bot. */
export function execForm(i: Instruction): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(i.args);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`Dockerfile line ${i.line}: ${i.keyword} must use the exec form (a JSON array of strings), got ${i.args}`);
  return parsed as string[];
}

/** ENV KEY=VALUE [KEY=VALUE...], values optionally quoted. */
export function envPairs(i: Instruction): Array<[string, string]> {
  const pairs = [...i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|\S*)/g)];
  const consumed = pairs.map((p) => p[0]).join(' ');
  if (!pairs.length || consumed !== i.args.trim().replace(/\s+/g, ' ')) throw new Error(`Dockerfile line ${i.line}: expected ENV KEY=VALUE ..., got "ENV ${i.args}"`);
  return pairs.map((p) => [p[1]!, p[3] ?? p[4] ?? p[2]!]);
}

/**
 * A RUN line as the commands it chains with &&, each split into words as a
 * POSIX shell would (quotes, no expansion); any other shell syntax is refused.
 */
export function runCommands(i: Instruction): string[][] {
  const commands: string[][] = [[]];
  const re = /\s*(?:'([^']*)'|"([^"$`\\]*)"|(&&)|([^\s'"&|;<>()$`\\*?]+)|(\S))/gy;
  for (let m = re.exec(i.args); m && m[0].trim(); m = re.exec(i.args)) {
    if (m[5] !== undefined) throw new Error(`Dockerfile line ${i.line}: RUN uses shell syntax this test does not carry out ("${m[5]}" in "${i.args}"); chain plain commands with &&`);
    if (m[3]) commands.push([]);
    else commands.at(-1)!.push(m[1] ?? m[2] ?? m[4]!);
  }
  if (commands.some((c) => !c.length)) throw new Error(`Dockerfile line ${i.line}: an empty command in "RUN ${i.args}"`);
  return commands;
}
