import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering of DESIGN.md, checked by reading the sources: every import
 * specifier of every production file (tests, the test world and benches
 * excluded), resolved to a path under the repository.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Each import of a file: a repository path for relative ones, the package name otherwise. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    return spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
  });
}

const PRODUCTION = [...sources('src'), ...sources('commands')].filter((f) => !f.startsWith('src/sim/'));
const violations = (files: string[], bad: (imp: string) => boolean) => files.flatMap((f) => importsOf(f).filter(bad).map((imp) => `${f} → ${imp}`));

describe('import rules', () => {
  it('finds the imports it checks (the rules below are not vacuous)', () => {
    expect(importsOf('src/services/reading.ts')).toContain('src/ports.ts');
    expect(importsOf('src/cli.ts')).toContain('src/cli/sim.ts');
    expect(PRODUCTION.filter((f) => f.startsWith('src/services/')).length).toBeGreaterThan(3);
  });

  it('services depend on ports and the domain: no adapter, Slack, CLI or commands', () => {
    const services = PRODUCTION.filter((f) => f.startsWith('src/services/'));
    expect(violations(services, (i) => /^(src\/(adapters|slack|cli|sim|playground|http)\/|commands\/|src\/main\.ts|src\/compose\.ts)/.test(i) || /^@slack|^@kubernetes|^better-sqlite3|^pg$/.test(i))).toEqual([]);
  });

  it('the domain does no I/O: no Node built-ins, clients, adapters or services', () => {
    const domain = PRODUCTION.filter((f) => f.startsWith('src/domain/'));
    expect(violations(domain, (i) => /^node:|^@slack|^@kubernetes\/client-node|^@pagerduty|^better-sqlite3|^pg$|^pino/.test(i) || /^src\/(adapters|services|slack|cli|http|sim|playground)\//.test(i))).toEqual([]);
    const clockless = domain.filter((f) => /Date\.now\(|new Date\(\)|process\.env/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(clockless).toEqual([]);
  });

  it('only `sim` and the playground reach the test world, and only by a lazy import', () => {
    const allowed = (f: string) => f === 'src/cli/sim.ts' || f.startsWith('src/playground/');
    expect(violations(PRODUCTION.filter((f) => !allowed(f)), (i) => i.startsWith('src/sim/') || i.startsWith('test/'))).toEqual([]);
    // cli.ts names the `sim` and `playground` modules only inside import(): `serve` and the read commands never load them.
    const cli = readFileSync(join(ROOT, 'src/cli.ts'), 'utf8');
    expect(cli).not.toMatch(/^import .*cli\/(sim|playground)\.js/m);
  });

  it('the Slack renderers and commands import no CLI renderer, and commands no adapter', () => {
    expect(violations(PRODUCTION.filter((f) => f.startsWith('src/slack/')), (i) => i.startsWith('src/cli/render'))).toEqual([]);
    expect(violations(PRODUCTION.filter((f) => f.startsWith('commands/')), (i) => /^src\/(adapters|sim)\//.test(i))).toEqual([]);
  });
});
