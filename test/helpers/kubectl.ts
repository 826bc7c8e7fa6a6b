import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Real kubectl pointed at a kubeconfig, with its own discovery cache so runs never share stale state. */
export class Kubectl {
  readonly kubeconfigPath: string;
  private readonly cacheDir: string;

  constructor(kubeconfig: string) {
    const dir = mkdtempSync(join(tmpdir(), 'medic-kubectl-'));
    this.kubeconfigPath = join(dir, 'kubeconfig');
    this.cacheDir = join(dir, 'cache');
    writeFileSync(this.kubeconfigPath, kubeconfig);
  }

  private argv(args: string[]): string[] {
    return [`--kubeconfig=${this.kubeconfigPath}`, `--cache-dir=${this.cacheDir}`, ...args];
  }

  run(...args: string[]): Promise<KubectlResult> {
    return new Promise((resolve) => {
      execFile('kubectl', this.argv(args), { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Runs and fails the test with kubectl's own words if it does not succeed. */
  async ok(...args: string[]): Promise<string> {
    const r = await this.run(...args);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr || r.stdout}`);
    return r.stdout;
  }

  /** Starts a long-running kubectl (rollout status, logs -f) and returns its eventual result. */
  start(...args: string[]): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = spawn('kubectl', this.argv(args), { env: { ...process.env, TZ: 'UTC' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  }
}

/** Rows of a kubectl table as objects keyed by column header. */
export function parseTable(text: string): Array<Record<string, string>> {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (!lines.length) return [];
  const header = lines[0]!;
  const starts: number[] = [];
  const re = /\S+(?: \S+)*/g;
  let m: RegExpExecArray | null;
  const names: string[] = [];
  while ((m = re.exec(header))) {
    starts.push(m.index);
    names.push(m[0]);
  }
  return lines.slice(1).map((line) =>
    Object.fromEntries(names.map((name, i) => [name, line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim()])),
  );
}
