import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import type { PreflightReport } from '../../src/domain/preflight/world.js';
import { REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { findScenario } from '../../src/sim/kube/catalog/scenarios.js';
import { runCli } from '../helpers/cli.js';
import { badManifest, startPreflightWorld, type PreflightWorldFixture } from './catalog-manifests.js';

/**
 * What `deploy-medic preflight` accepts and how it answers input it cannot
 * check: several documents, a directory, a kustomize build on standard
 * input (its generated ConfigMap counted as applied alongside), and bad
 * files, which exit 2 naming what was wrong and what is accepted.
 */
const run = promisify(execFile);
let w: PreflightWorldFixture;
const healthy = () => badManifest(findScenario('healthy')!);
const broken = () => badManifest(findScenario('image-tag-not-found')!);
const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'production' }, data: { MODE: 'prod' } });

beforeAll(async () => {
  w = await startPreflightWorld([findScenario('healthy')!, findScenario('image-tag-not-found')!]);
}, 120_000);

afterAll(async () => {
  await w?.stop();
});

const preflight = (args: string[], input?: string) => runCli(['preflight', ...args, '--kubeconfig', w.sim.kubectl.kubeconfigPath], w.env, input);

/** A Deployment the cluster has never seen, reading its configuration from a ConfigMap. */
function newDeployment(configName: string): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop-web', labels: { app: 'shop-web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'shop-web' } },
      template: {
        metadata: { labels: { app: 'shop-web' } },
        spec: { containers: [{ name: 'web', image: `${REGISTRY}/web-frontend:v1.4.1`, envFrom: [{ configMapRef: { name: configName } }], resources: { requests: { cpu: '50m', memory: '64Mi' } } }] },
      },
    },
  };
}

describe('preflight input', () => {
  it('several documents: one report per Deployment, as a JSON array, the other objects counted as applied', async () => {
    const file = w.write('multi.yaml', [healthy(), configMap('unused'), broken()]);
    const r = await preflight(['-f', file, '-o', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const reports = JSON.parse(r.stdout) as PreflightReport[];
    expect(reports.map((x) => [x.source, x.deployment.name, x.findings[0]?.code ?? 'none'])).toEqual([
      [`${file} document 1`, 'web-frontend', 'none'],
      [`${file} document 3`, 'api-server', 'IMAGE_TAG_NOT_FOUND'],
    ]);
    // The diagnosis JSON, marked as a preflight.
    expect(Object.keys(reports[1]!).sort()).toEqual(['collectedAt', 'deployment', 'durationMs', 'findings', 'lastHealthyRevision', 'notes', 'phase', 'revisions', 'rollout', 'source'].sort());
  });

  it('a directory: its manifests in name order', async () => {
    const dir = join(w.dir, 'manifests');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-web.yaml'), stringify(healthy()));
    writeFileSync(join(dir, 'b-api.json'), JSON.stringify(broken()));
    writeFileSync(join(dir, 'README.md'), '# not a manifest');
    const r = await preflight(['-f', dir, '--output', 'json']);
    expect(r.code, r.stderr).toBe(1);
    expect((JSON.parse(r.stdout) as PreflightReport[]).map((x) => x.source)).toEqual([`${join(dir, 'a-web.yaml')} document 1`, `${join(dir, 'b-api.json')} document 1`]);
  });

  it('a kustomize build on standard input: the generated ConfigMap is part of the change', async () => {
    const base = join(w.dir, 'kustomize');
    mkdirSync(base);
    writeFileSync(join(base, 'deployment.yaml'), stringify(newDeployment('shop-config')));
    writeFileSync(join(base, 'kustomization.yaml'), stringify({ namespace: 'production', resources: ['deployment.yaml'], configMapGenerator: [{ name: 'shop-config', literals: ['MODE=prod'] }] }));
    const { stdout: built } = await run('kubectl', ['kustomize', base]);
    const generated = parseAllDocuments(built).map((d) => d.toJS() as { kind: string; metadata: { name: string } }).find((o) => o.kind === 'ConfigMap')!.metadata.name;
    expect(generated).toMatch(/^shop-config-[a-z0-9]{10}$/);

    const r = await preflight(['-f', '-', '-o', 'json'], built);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as PreflightReport;
    expect(report).toMatchObject({ source: 'standard input document 2', deployment: { namespace: 'production', name: 'shop-web', revision: 1, uid: '' }, findings: [] });
    expect(report.rollout.message).toBe('deployment "shop-web" does not exist yet: it would be created');

    // Without the generated ConfigMap the same Deployment would not start: the build is what makes it work.
    const alone = parseAllDocuments(built).map((d) => d.toJS() as { kind: string }).filter((o) => o.kind === 'Deployment');
    const without = await preflight(['-f', '-', '-o', 'json'], alone.map((d) => stringify(d)).join('---\n'));
    expect(without.code, without.stderr).toBe(1);
    expect((JSON.parse(without.stdout) as PreflightReport).findings[0]).toMatchObject({ code: 'MISSING_CONFIGMAP', title: `ConfigMap ${generated} not found` });
  });

  it('text output: what would run, the verdict, the findings', async () => {
    const r = await preflight(['-f', w.write('one.yaml', [broken()])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('production/api-server');
    expect(r.stdout).toContain(`Would run: revision 2  ${REGISTRY}/api-server:v2.0.1`);
    expect(r.stdout).toContain('Verdict:   WOULD FAIL (1 error)');
    expect(r.stdout).toContain('1. ERROR IMAGE_TAG_NOT_FOUND  Image tag v2.0.1 not found in registry.example.com/api-server');
  });
});

describe('bad input exits 2 and says what was wrong and what is accepted', () => {
  it.each([
    ['not YAML', 'kind: Deployment\nmetadata: {name: [\n', /bad\.yaml document 1 is not valid YAML or JSON/],
    ['not an object', '- a\n- b\n', /bad\.yaml document 1: expected a Kubernetes object \(a mapping with apiVersion, kind and metadata\), got a list/],
    ['no kind', 'apiVersion: apps/v1\nmetadata: {name: x}\n', /has no kind \(a Deployment needs apiVersion: apps\/v1 and kind: Deployment\)/],
    ['not a Deployment', stringify(configMap('app-config')), /the input holds no Deployment \(found: ConfigMap app-config\); preflight checks Deployments \(apiVersion: apps\/v1, kind: Deployment\)/],
    ['an old apiVersion', stringify({ ...healthy(), apiVersion: 'extensions/v1beta1' }), /Deployment web-frontend has apiVersion extensions\/v1beta1; Deployments are served as apps\/v1/],
  ])('%s', async (_what, text, message) => {
    const file = join(w.dir, 'bad.yaml');
    writeFileSync(file, text);
    const before = w.sim.sim.requestCount;
    const r = await preflight(['-f', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    // Refused before any request: the cluster never heard of it.
    expect(w.sim.sim.requestCount).toBe(before);
  });

  it('an unknown field: the API server refuses it (strict field validation of the dry run)', async () => {
    const d = healthy();
    Object.assign(d.spec!.template!.spec!.containers[0]!, { imagee: 'typo' });
    const r = await preflight(['-f', w.write('unknown.yaml', [d]), '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown.yaml document 1 (Deployment production/web-frontend): the API server refuses it:');
    expect(r.stderr).toContain('strict decoding error: unknown field "spec.template.spec.containers[0].imagee"');
  });

  it('an invalid value: the API server validation, quoted', async () => {
    const d = healthy();
    d.spec!.selector = { matchLabels: { app: 'other' } };
    const r = await preflight(['-f', w.write('invalid.yaml', [d])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`selector` does not match template `labels`');
  });

  it('missing -f, a missing file, an empty directory, a namespace that contradicts the manifest', async () => {
    expect((await preflight([])).stderr).toContain('preflight: missing -f (give a YAML or JSON file, a directory of them (*.yaml, *.yml, *.json), or - for standard input');
    expect((await preflight(['-f', join(w.dir, 'nope.yaml')])).stderr).toContain('nope.yaml: no such file or directory');
    const empty = join(w.dir, 'empty');
    mkdirSync(empty);
    expect((await preflight(['-f', empty])).stderr).toContain('the directory holds no *.yaml, *.yml or *.json file');
    const r = await preflight(['-f', w.write('ns.yaml', [healthy()]), '-n', 'staging']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the namespace of Deployment web-frontend is "production", not "staging": pass -n production, or leave -n out');
  });
});
