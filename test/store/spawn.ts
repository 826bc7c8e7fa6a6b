import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * Starts child.ts in its own Node process. `bound` makes file permissions bind it even as root:
 * root's capabilities are dropped (util-linux's setpriv) rather than switching user, because
 * another user may not be able to reach this checkout at all (a clone under a 0700 mktemp dir).
 */
export function spawnChild(args: string[], opts: { bound?: boolean } = {}): ChildProcessWithoutNullStreams {
  const node = [process.execPath, '--import', 'tsx', CHILD, ...args];
  const argv = opts.bound && process.getuid?.() === 0 ? ['setpriv', '--inh-caps=-all', '--bounding-set=-all', '--', ...node] : node;
  return spawn(argv[0]!, argv.slice(1), { cwd: process.cwd() });
}

/** The JSON lines a child printed, once it exits. */
export function outputOf(child: ChildProcessWithoutNullStreams): Promise<unknown[]> {
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('close', (code) =>
      code === 0 ? resolve(out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown)) : reject(new Error(`child exited ${code}: ${err}`)),
    ),
  );
}

/** Resolves when the child prints its first line. */
export function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) {
        child.stdout.off('data', onData);
        resolve(buf.slice(0, buf.indexOf('\n')));
      }
    };
    child.stdout.on('data', onData);
  });
}
