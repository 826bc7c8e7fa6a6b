import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simKubeconfig } from '../../src/sim/kube/kubeconfig.js';
import { runCli } from '../helpers/cli.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
let kubeconfig: string;
beforeAll(async () => {
  f = await startSim({ scenarios: ['healthy', 'image-tag-not-found'] });
  kubeconfig = f.kubectl.kubeconfigPath;
});
afterAll(() => f.sim.stop());

const cli = (...args: string[]) => runCli([...args, '--kubeconfig', kubeconfig]);

describe('deploy-medic status and history', () => {
  it('status says what kubectl rollout status says, exit 1 for a failed rollout', async () => {
    const failed = await cli('status', 'api-server', '-n', 'production');
    expect(failed).toMatchObject({ code: 1, stdout: 'error: deployment "api-server" exceeded its progress deadline\n' });
    const ok = await cli('status', 'web-frontend', '-n', 'production');
    expect(ok).toMatchObject({ code: 0, stdout: 'deployment "web-frontend" successfully rolled out\n' });
    const json = await cli('status', 'api-server', '-n', 'production', '--output', 'json');
    expect(JSON.parse(json.stdout)).toEqual({ namespace: 'production', name: 'api-server', state: 'failed', message: 'deployment "api-server" exceeded its progress deadline' });
  });

  it('history lists revisions with images and change causes, the current one marked', async () => {
    const r = await cli('history', 'api-server', '-n', 'production');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'deployment.apps/api-server (* current)',
      'REVISION  IMAGES                                  CHANGE-CAUSE',
      '1         registry.example.com/api-server:v2.0.0  initial deploy of api-server v2.0.0',
      '2*        registry.example.com/api-server:v2.0.1  deploy api-server v2.0.1 (pipeline #4812)',
      '',
    ]);
    const json = JSON.parse((await cli('history', 'api-server', '-n', 'production', '-o', 'json')).stdout) as { revisions: Array<{ revision: number; current: boolean }> };
    expect(json.revisions.map((x) => [x.revision, x.current])).toEqual([[1, false], [2, true]]);
  });
});

describe('bad input gets a clear message and exit 2', () => {
  it.each([
    ['unknown deployment', ['diagnose', 'nope', '-n', 'production'], 'Not found: deployment "nope" not found in namespace "production"'],
    ['unknown namespace', ['status', 'api-server', '-n', 'nowhere'], 'Not found: namespace "nowhere" not found'],
    ['invalid deployment name', ['diagnose', 'Bad_Name', '-n', 'production'], 'invalid deployment name "Bad_Name": use lowercase letters'],
    ['invalid namespace', ['diagnose', 'api-server', '-n', 'Prod'], 'invalid namespace "Prod": use lowercase letters'],
    ['10 kB name', ['diagnose', 'x'.repeat(10_000), '-n', 'production'], 'invalid deployment name "xxxxxxxx'],
    ['missing name', ['diagnose', '-n', 'production'], 'missing the deployment name (usage: deploy-medic diagnose NAME -n NAMESPACE)'],
    ['unknown output', ['diagnose', 'api-server', '-n', 'production', '--output', 'yaml'], '--output: expected one of text, json, got "yaml"'],
    ['non-numeric revision', ['rollback', 'api-server', '-n', 'production', '--to-revision', 'two'], '--to-revision: expected an integer from 1 to'],
    ['unknown context', ['diagnose', 'api-server', '-n', 'production', '--context', 'nope'], 'context "nope" is not in the kubeconfig (known: deploy-medic-sim)'],
  ])('%s', async (_title, args, message) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an unreachable cluster is a connection error, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'medic-unreachable-'));
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, simKubeconfig('http://127.0.0.1:1'));
    const r = await runCli(['diagnose', 'api-server', '-n', 'production', '--kubeconfig', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot reach the Kubernetes API: cannot connect to the Kubernetes API at http://127.0.0.1:1 (ECONNREFUSED)');
  });

  it('a missing kubeconfig file is a configuration error, exit 2', async () => {
    const r = await runCli(['status', 'api-server', '-n', 'production', '--kubeconfig', '/nonexistent/kubeconfig']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Configuration error: cannot load kubeconfig /nonexistent/kubeconfig');
  });
});
