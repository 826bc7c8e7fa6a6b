/**
 * Preflight of 20 Deployments (the catalog's healthy manifest and 19 that
 * would fail, in the scenarios' namespaces) against the simulated API
 * server, in its own process, and a real registry holding the catalog's
 * images. Measured warm, in the same run: the preflight with a fresh
 * registry client each round (every image checked again, deduplicated and
 * concurrent), with the shared client `serve` keeps (results cached 30 s),
 * the whole CLI as a pipeline runs it, and `kubectl apply --dry-run=server`
 * of the same files, which checks far less. Target: ≤ 1 s warm.
 * Run: npm run bench:preflight
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { ClusterDirectory, DEFAULT_CLUSTER } from '../src/adapters/kube/clusters.js';
import { KubePreflightSource } from '../src/adapters/kube/preflight-source.js';
import { loadKubeConfig } from '../src/adapters/kube/kubeconfig.js';
import { RegistryClient } from '../src/adapters/registry/client.js';
import { isFailing } from '../src/domain/diagnosis.js';
import { parseManifests, preflightInput, type InputObject } from '../src/domain/preflight/manifests.js';
import { CHANGE_CAUSE_ANNOTATION } from '../src/domain/workload.js';
import { systemClock } from '../src/ports.js';
import { PreflightService } from '../src/services/preflight.js';
import { REGISTRY } from '../src/sim/kube/catalog/images.js';
import { baseDeployment, findScenario } from '../src/sim/kube/catalog/scenarios.js';
import { startCatalogRegistry } from '../test/helpers/catalog-registry.js';

const run = promisify(execFile);
const ROUNDS = 7;
const NAMES = [
  'healthy', 'image-tag-not-found', 'image-repository-not-found', 'image-pull-unauthorized', 'invalid-image-name', 'probe-port-mismatch',
  'missing-secret', 'missing-configmap', 'missing-config-key', 'insufficient-memory', 'node-selector-mismatch', 'quota-exceeded',
  'rollout-stuck', 'service-no-endpoints', 'untolerated-taint', 'unschedulable-other', 'pvc-not-found', 'pvc-unbound',
  'limitrange-exceeded', 'pod-security-violation',
];

const world = await startCatalogRegistry();
const server = spawn(process.execPath, ['--import', 'tsx', new URL('./preflight-sim-server.ts', import.meta.url).pathname, world.registry.url, ...NAMES], { stdio: ['ignore', 'pipe', 'inherit'] });
const [line] = (await once(server.stdout, 'data')) as [Buffer];
const sim = JSON.parse(line.toString()) as { url: string; kubeconfig: string };
const dir = mkdtempSync(join(tmpdir(), 'medic-bench-preflight-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, sim.kubeconfig);
const manifests = join(dir, 'manifests');
mkdirSync(manifests);
const objects: InputObject[] = [];
for (const name of NAMES) {
  const s = findScenario(name)!;
  const d = baseDeployment(s);
  s.change(d, d.spec!.template!.spec!.containers[0]!);
  d.metadata!.annotations = { ...d.metadata!.annotations, [CHANGE_CAUSE_ANNOTATION]: s.changeCause };
  const text = stringify(d);
  writeFileSync(join(manifests, `${name}.yaml`), text);
  const parsed = parseManifests(text, name);
  if (!parsed.ok) throw new Error(parsed.problem);
  objects.push(...parsed.objects);
}
const policy = join(dir, 'policy.yaml');
writeFileSync(policy, `registries:\n  - host: ${REGISTRY}\n    endpoint: ${world.registry.url}\n`);

const sorted = preflightInput(objects, { fallback: 'default' });
if (!sorted.ok) throw new Error(sorted.problem);
const clusters = ClusterDirectory.single(loadKubeConfig({ kubeconfig }));
const registries = [{ host: REGISTRY, endpoint: world.registry.url }];
const service = (registry: RegistryClient) => new PreflightService(new KubePreflightSource(clusters, registry, systemClock), clusters, systemClock);
const shared = service(new RegistryClient({ registries }));

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fresh = async () => {
  const registry = new RegistryClient({ registries });
  try {
    return await service(registry).check(DEFAULT_CLUSTER, sorted.input);
  } finally {
    registry.close();
  }
};
const cli = () => run(process.execPath, ['bin/deploy-medic.js', 'preflight', '-f', manifests, '-o', 'json', '--kubeconfig', kubeconfig], { env: { ...process.env, DEPLOY_MEDIC_CONFIG: policy }, maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout?: string }) => e);
const kubectl = () => run('kubectl', [`--kubeconfig=${kubeconfig}`, `--cache-dir=${join(dir, 'cache')}`, 'apply', '--dry-run=server', '-f', manifests]).catch((e: unknown) => e);

// Warm every path once (JIT, connections, discovery cache), then measure alternately.
const outcome = await fresh();
await shared.check(DEFAULT_CLUSTER, sorted.input);
await cli();
await kubectl();
const results = { fresh: [] as number[], shared: [] as number[], cli: [] as number[], kubectl: [] as number[] };
for (let i = 0; i < ROUNDS; i++) {
  results.fresh.push(await time(fresh));
  results.shared.push(await time(() => shared.check(DEFAULT_CLUSTER, sorted.input)));
  results.cli.push(await time(cli));
  results.kubectl.push(await time(kubectl));
}
server.kill('SIGTERM');
await world.stop();

const images = new Set(sorted.input.deployments.flatMap((d) => [...(d.deployment.spec?.template?.spec?.initContainers ?? []), ...(d.deployment.spec?.template?.spec?.containers ?? [])].map((c) => c.image)));
const f = median(results.fresh);
console.log(`preflight of ${outcome.reports.length} deployments (${outcome.reports.filter(isFailing).length} would fail) over ${new Set(NAMES.map((n) => findScenario(n)!.namespace)).size} namespaces, ${images.size} distinct images; ${ROUNDS} rounds, medians:`);
console.log(`  preflight, fresh registry client:  ${f.toFixed(0)} ms  (target ≤ 1000 ms) ${f <= 1000 ? 'MET' : 'NOT MET'}`);
console.log(`  preflight, shared client (cached): ${median(results.shared).toFixed(0)} ms`);
console.log(`  deploy-medic preflight -f DIR (a new process each time): ${median(results.cli).toFixed(0)} ms`);
console.log(`  kubectl apply --dry-run=server -f DIR (schema and admission of the Deployments only): ${median(results.kubectl).toFixed(0)} ms`);
console.log(`  preflight (fresh) / kubectl server dry run: ${(f / median(results.kubectl)).toFixed(2)}x`);
