import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { basename, isAbsolute, join, posix, relative } from 'node:path';
import { envPairs, execForm, parseDockerfile, runCommands, type Instruction } from './dockerfile.js';

/**
 * The filesystem a Dockerfile's stages build, made in a directory by
 * carrying out each instruction (there is no Docker engine on our machines).
 * Two RUN commands are stood in for by what this checkout already holds:
 * `npm ci` (the build stage: the checkout's node_modules, from the same
 * lockfile) and `npm run build` (the checkout's dist/, which vitest's
 * globalSetup has just rebuilt). The rest run for real: `npm ci --omit=dev`
 * from the npm cache, `rm`, `find -delete`. Anything else fails.
 */
export interface BuiltStage {
  name: string;
  /** The stage's root filesystem. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user?: { uid: number; gid: number };
  entrypoint: string[];
  cmd: string[];
  exposed: string[];
}

/** What `npm run build` reads: without these in the stage, the image would not build. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/bundle-client-node.mjs', 'src', 'commands'];

export function buildStages(dockerfile: string, context: string, work: string): BuiltStage[] {
  const ignored = dockerIgnore(`${dockerfile}.dockerignore`);
  const built: BuiltStage[] = [];
  parseDockerfile(readFileSync(dockerfile, 'utf8')).forEach((s, n) => {
    const stage: BuiltStage = { name: s.name ?? String(n), root: join(work, `stage-${n}`), workdir: '/', env: {}, entrypoint: [], cmd: [], exposed: [] };
    mkdirSync(stage.root, { recursive: true });
    const inStage = (p: string) => join(stage.root, posix.resolve(stage.workdir, p));
    for (const i of s.instructions) {
      const fail = (why: string): never => {
        throw new Error(`Dockerfile line ${i.line} (${i.keyword} ${i.args}): ${why}`);
      };
      switch (i.keyword) {
        case 'WORKDIR':
          stage.workdir = posix.resolve(stage.workdir, i.args);
          mkdirSync(inStage('.'), { recursive: true });
          break;
        case 'ENV':
          for (const [k, v] of envPairs(i)) stage.env[k] = v;
          break;
        case 'USER': {
          const m = /^(\d+)(?::(\d+))?$/.exec(i.args) ?? fail('expected a numeric UID[:GID], so that runAsNonRoot can verify it');
          stage.user = { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) };
          break;
        }
        case 'EXPOSE':
          stage.exposed.push(...i.args.split(/\s+/));
          break;
        case 'ENTRYPOINT':
          stage.entrypoint = execForm(i);
          break;
        case 'CMD':
          stage.cmd = execForm(i);
          break;
        case 'COPY':
          copy(i, i.flags.from ? built.find((b) => b.name === i.flags.from) ?? fail(`no earlier stage named ${i.flags.from}`) : undefined, context, ignored, inStage, fail);
          break;
        case 'RUN':
          for (const argv of runCommands(i)) run(argv, inStage('.'), stage, context, fail);
          break;
        default:
          fail('not carried out by this test');
      }
    }
    built.push(stage);
  });
  return built;
}

function copy(i: Instruction, from: BuiltStage | undefined, context: string, ignored: (path: string) => boolean, inStage: (p: string) => string, fail: (why: string) => never): void {
  const words = i.args.split(/\s+/);
  if (words.length < 2 || words.some((w) => /[*?[\]]/.test(w))) fail('expected COPY SRC... DEST without wildcards');
  const dest = words.at(-1)!;
  const sources = words.slice(0, -1);
  const intoDir = sources.length > 1 || dest.endsWith('/');
  for (const src of sources) {
    const path = from ? join(from.root, posix.resolve(from.workdir, src)) : join(context, posix.normalize(src));
    if (!from && (isAbsolute(src) || relative(context, path).startsWith('..'))) fail(`${src} is outside the build context`);
    if (!existsSync(path)) fail(`${src} does not exist ${from ? `in stage ${from.name}` : 'in the build context'}`);
    const target = statSync(path).isDirectory() || !intoDir ? inStage(dest) : join(inStage(dest), basename(src));
    const filter = (p: string) => from !== undefined || !ignored(relative(context, p));
    // A directory's contents go into DEST; COPY of a symlink copies what it points to, as the build context does.
    cpSync(path, target, { recursive: true, dereference: true, filter });
  }
}

function run(argv: string[], dir: string, stage: BuiltStage, context: string, fail: (why: string) => never): void {
  const line = argv.join(' ');
  const relativeOnly = (args: string[]) => args.filter((a) => !a.startsWith('-')).forEach((a) => (isAbsolute(a) || a.split('/').includes('..')) && fail(`${a}: only paths inside the working directory are carried out here`));

  if (/^npm ci( --ignore-scripts)?$/.test(line)) {
    // The build stage's devDependencies: this checkout's node_modules, installed from the same lockfile.
    if (readFileSync(join(dir, 'package-lock.json'), 'utf8') !== readFileSync(join(context, 'package-lock.json'), 'utf8')) fail('the stage\'s package-lock.json is not the checkout\'s');
    symlinkSync(join(context, 'node_modules'), join(dir, 'node_modules'));
  } else if (line === 'npm run build') {
    const missing = BUILD_INPUTS.filter((p) => !existsSync(join(dir, p)));
    if (missing.length) fail(`the build needs ${missing.join(', ')}, not copied into the stage`);
    if (!existsSync(join(dir, 'node_modules'))) fail('npm run build before npm ci');
    // The checkout's dist/, just rebuilt by vitest's globalSetup (test/helpers/build-dist.ts); its lock is not build output.
    cpSync(join(context, 'dist'), join(dir, 'dist'), { recursive: true, filter: (p) => basename(p) !== '.build-lock' });
  } else if (line === 'npm ci --omit=dev') {
    // For real, from the npm cache. Install scripts are the one thing not run: they would compile (or download)
    // the native addons this checkout's own `npm ci` built from the same lockfile on this Node; those are copied.
    execFileSync('npm', ['ci', '--omit=dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env: { ...process.env, ...stage.env }, stdio: 'pipe' });
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
    for (const [pkg, meta] of Object.entries(lock.packages)) {
      if (!pkg || meta.dev || !meta.hasInstallScript) continue;
      const release = join(context, pkg, 'build/Release');
      const addons = existsSync(release) ? readdirSync(release).filter((f) => f.endsWith('.node')) : [];
      if (!addons.length) fail(`${pkg} has an install script that builds no native addon this test knows how to stand in for`);
      mkdirSync(join(dir, pkg, 'build/Release'), { recursive: true });
      for (const addon of addons) cpSync(join(release, addon), join(dir, pkg, 'build/Release', addon));
    }
  } else if (line === 'npm cache clean --force') {
    // Empties the image's npm cache; here that would be the machine's, shared with every other run.
  } else if (argv[0] === 'rm' && argv.slice(1).every((a) => !a.startsWith('-') || /^-[rf]+$/.test(a))) {
    relativeOnly(argv.slice(1));
    execFileSync('rm', argv.slice(1), { cwd: dir });
  } else if (argv[0] === 'find' && /^find \S+( -(name|type) \S+)+ -delete$/.test(line)) {
    relativeOnly([argv[1]!]);
    execFileSync('find', argv.slice(1), { cwd: dir });
  } else {
    fail(`\`${line}\` is not a command this test knows how to carry out; teach test/helpers/dockerfile-layout.ts`);
  }
}

/** The patterns of a Dockerfile-specific .dockerignore (BuildKit reads DOCKERFILE.dockerignore before .dockerignore). */
function dockerIgnore(path: string): (relativePath: string) => boolean {
  if (!existsSync(path)) return () => false;
  const patterns = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (patterns.some((p) => p.startsWith('!'))) throw new Error(`${path}: exceptions (!PATTERN) are not carried out by this test`);
  const glob = (p: string) =>
    p
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*\*\//g, '\0')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replaceAll('\0', '(.*/)?');
  const regexes = patterns.map((p) => new RegExp(`^${glob(p)}(/.*)?$`));
  return (p) => regexes.some((r) => r.test(p));
}
