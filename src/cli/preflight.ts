import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterDirectory, DEFAULT_CLUSTER } from '../adapters/kube/clusters.js';
import { loadKubeConfig } from '../adapters/kube/kubeconfig.js';
import { composeClusterServices } from '../compose.js';
import { loadConfig } from '../config.js';
import { isFailing } from '../domain/diagnosis.js';
import { parseManifests, preflightInput, type InputObject } from '../domain/preflight/manifests.js';
import { namespaceNameProblem } from '../domain/names.js';
import { EXIT, MedicError } from '../errors.js';
import { systemClock } from '../ports.js';
import { choiceOption, parseCommandArgs } from './args.js';
import type { CliIO } from './io.js';
import { KUBE_OPTIONS } from './kube-command.js';
import { renderPreflightText } from './render/preflight-text.js';
import { makeStyle } from './style.js';

const ACCEPTED = 'give a YAML or JSON file, a directory of them (*.yaml, *.yml, *.json), or - for standard input';
const MANIFEST = /\.(ya?ml|json)$/;

/**
 * `deploy-medic preflight -f FILE|DIR|-`: would these Deployments run on
 * this cluster? Before `kubectl apply`, as `rollout-status` is after it.
 * Exit 1 when a check finds an error, 2 for input the tool or the API
 * server refuses (with what was wrong). --output json prints the diagnosis
 * JSON with phase "preflight": one object for one Deployment, an array for several.
 */
export async function preflightCommand(argv: string[], io: CliIO, env?: Record<string, string | undefined>): Promise<number> {
  const args = parseCommandArgs('preflight', argv, { ...KUBE_OPTIONS, filename: { type: 'string', short: 'f', multiple: true } });
  const files = args.strings('filename');
  if (!files.length) throw new MedicError('USAGE', `preflight: missing -f (${ACCEPTED}; usage: deploy-medic preflight -f FILE|DIR|- [-n NAMESPACE])`);
  const output = choiceOption('output', args.string('output'), ['text', 'json'] as const) ?? 'text';
  const requested = args.string('namespace');
  const nsProblem = requested === undefined ? undefined : namespaceNameProblem(requested);
  if (nsProblem) throw new MedicError('USAGE', nsProblem);

  const objects: InputObject[] = [];
  for (const { name, text } of await readInputs(files)) {
    const parsed = parseManifests(text, name);
    if (!parsed.ok) throw new MedicError('USAGE', parsed.problem);
    objects.push(...parsed.objects);
  }
  const config = loadConfig(env, 'cli');
  const kc = loadKubeConfig({ kubeconfig: args.string('kubeconfig') ?? config.kube.kubeconfig, context: args.string('context') });
  const fallback = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const sorted = preflightInput(objects, { requested, fallback });
  if (!sorted.ok) throw new MedicError('USAGE', sorted.problem);

  const services = composeClusterServices(ClusterDirectory.single(kc), config, systemClock);
  const { reports, rejected } = await services.preflight.check(DEFAULT_CLUSTER, sorted.input);
  const style = makeStyle(io.isTTY && !config.noColor && output === 'text');
  if (output === 'json') {
    if (reports.length) io.out(JSON.stringify(sorted.input.deployments.length === 1 ? reports[0] : reports, null, 2));
  } else io.out(reports.map((r) => renderPreflightText(r, style)).join('\n\n'));
  for (const r of rejected) io.err(`deploy-medic preflight: ${r.source} (Deployment ${r.deployment}): the API server refuses it: ${r.message}`);
  if (rejected.length) return EXIT.error;
  return reports.some(isFailing) ? EXIT.failing : EXIT.ok;
}

/** The texts to read, in order: files as named, a directory's manifests by name, standard input for "-". */
async function readInputs(files: string[]): Promise<Array<{ name: string; text: string }>> {
  const out: Array<{ name: string; text: string }> = [];
  for (const file of files) {
    if (file === '-') {
      out.push({ name: 'standard input', text: await readStdin() });
      continue;
    }
    let isDir: boolean;
    try {
      isDir = statSync(file).isDirectory();
    } catch (e) {
      throw new MedicError('USAGE', `-f ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message} (${ACCEPTED})`);
    }
    const paths = isDir ? readdirSync(file).filter((f) => MANIFEST.test(f)).sort().map((f) => join(file, f)) : [file];
    if (isDir && !paths.length) throw new MedicError('USAGE', `-f ${file}: the directory holds no *.yaml, *.yml or *.json file (${ACCEPTED})`);
    for (const p of paths) out.push({ name: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
