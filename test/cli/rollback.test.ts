import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const ns = ['-n', 'production'];

function manifest(name: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'production', labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.example.com/api-server:v2.0.0', ports: [{ containerPort: 8080 }] }] },
      },
    },
  });
}

/** Both twins go through the same history; then one is undone by kubectl, the other by deploy-medic. */
async function twins(a: string, b: string, steps: string[][]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'medic-twins-'));
  for (const name of [a, b]) {
    writeFileSync(join(dir, `${name}.json`), manifest(name));
    await f.kubectl.ok('create', '-f', join(dir, `${name}.json`));
    await f.kubectl.ok('annotate', `deployment/${name}`, ...ns, 'kubernetes.io/change-cause=first');
  }
  f.sim.advance(60_000);
  for (const step of steps) {
    for (const name of [a, b]) await f.kubectl.ok(...step.map((s) => s.replace('NAME', name)));
    f.sim.advance(30_000);
  }
}

/** The deployment and its ReplicaSets, with the twin's name replaced so the two compare equal. */
async function state(name: string) {
  const normalise = (text: string) => JSON.parse(text.replaceAll(name, 'TWIN')) as Record<string, unknown>;
  const d = normalise(await f.kubectl.ok('get', 'deployment', name, ...ns, '-o', 'json')) as {
    metadata: { annotations: Record<string, string> };
    spec: { template: unknown };
  };
  const rs = normalise(await f.kubectl.ok('get', 'rs', ...ns, '-l', `app=${name}`, '-o', 'json')) as {
    items: Array<{ metadata: { annotations: Record<string, string> }; spec: { replicas: number; template: { spec: unknown } } }>;
  };
  return {
    template: d.spec.template,
    annotations: d.metadata.annotations,
    replicaSets: rs.items
      .map((r) => ({
        revision: r.metadata.annotations['deployment.kubernetes.io/revision'],
        history: r.metadata.annotations['deployment.kubernetes.io/revision-history'],
        changeCause: r.metadata.annotations['kubernetes.io/change-cause'],
        replicas: r.spec.replicas,
        podSpec: r.spec.template.spec,
      }))
      .sort((x, y) => Number(x.revision) - Number(y.revision)),
  };
}

beforeAll(async () => {
  f = await startSim();
  await f.kubectl.ok('create', 'namespace', 'production');
});
afterAll(() => f.sim.stop());

const medic = (...args: string[]) => runCli([...args, '--kubeconfig', f.kubectl.kubeconfigPath]);

describe('deploy-medic rollback', () => {
  it('leaves a deployment exactly as kubectl rollout undo leaves its twin', async () => {
    await twins('twin-a', 'twin-b', [
      ['set', 'image', 'deployment/NAME', 'app=registry.example.com/api-server:v2.0.1', ...ns],
      ['annotate', '--overwrite', 'deployment/NAME', ...ns, 'kubernetes.io/change-cause=bad release'],
    ]);
    await f.kubectl.ok('rollout', 'undo', 'deployment/twin-a', ...ns);
    const r = await medic('rollback', 'twin-b', ...ns, '--yes');
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, stdout: 'deployment.apps/twin-b rolled back to revision 1 (registry.example.com/api-server:v2.0.0)\n' });
    f.sim.advance(60_000);
    const [a, b] = [await state('twin-a'), await state('twin-b')];
    expect(b).toEqual(a);
    expect(b.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(b.replicaSets.map((x) => [x.revision, x.history, x.replicas])).toEqual([
      ['2', undefined, 0],
      ['3', '1', 2],
    ]);
  });

  it('matches kubectl with --to-revision too', async () => {
    await twins('pair-a', 'pair-b', [
      ['set', 'image', 'deployment/NAME', 'app=registry.example.com/api-server:v2.1.0', ...ns],
      ['set', 'image', 'deployment/NAME', 'app=registry.example.com/api-server:v1.9.3', ...ns],
    ]);
    await f.kubectl.ok('rollout', 'undo', 'deployment/pair-a', ...ns, '--to-revision=2');
    const r = await medic('rollback', 'pair-b', ...ns, '--to-revision', '2', '--yes', '--output', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ rolledBack: true, fromRevision: 3, toRevision: 2, images: 'registry.example.com/api-server:v2.1.0' });
    f.sim.advance(60_000);
    const [a, b] = [await state('pair-a'), await state('pair-b')];
    expect(b).toEqual(a);
    expect(b.replicaSets.map((x) => [x.revision, x.history])).toEqual([
      ['1', undefined],
      ['3', undefined],
      ['4', '2'],
    ]);
  });

  it('refuses without --yes when nobody can answer, and changes nothing', async () => {
    const before = await f.kubectl.ok('get', 'deployment', 'twin-b', ...ns, '-o', 'jsonpath={.metadata.resourceVersion}');
    const r = await medic('rollback', 'twin-b', ...ns);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to roll back without confirmation: stdin is not a terminal; pass --yes to confirm');
    expect(await f.kubectl.ok('get', 'deployment', 'twin-b', ...ns, '-o', 'jsonpath={.metadata.resourceVersion}')).toBe(before);
  });

  it('reports kubectl\'s reasons for not rolling back', async () => {
    const missing = await medic('rollback', 'twin-b', ...ns, '--to-revision', '9', '--yes');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('unable to find specified revision 9 in history');
    await f.kubectl.ok('rollout', 'pause', 'deployment/twin-b', ...ns);
    const paused = await medic('rollback', 'twin-b', ...ns, '--yes');
    expect(paused.code).toBe(2);
    expect(paused.stderr).toContain("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  });
});
