import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSim, type SimFixture } from '../helpers/sim.js';
import { makeTwins, twinState } from '../helpers/twins.js';

let f: SimFixture;
const ns = ['-n', 'production'];

beforeAll(async () => {
  f = await startSim();
  await f.kubectl.ok('create', 'namespace', 'production');
});
afterAll(() => f.sim.stop());

const medic = (...args: string[]) => runCli([...args, '--kubeconfig', f.kubectl.kubeconfigPath]);

describe('deploy-medic rollback', () => {
  it('leaves a deployment exactly as kubectl rollout undo leaves its twin', async () => {
    await makeTwins(f, ['twin-a', 'twin-b'], [
      ['set', 'image', 'deployment/NAME', 'app=registry.example.com/api-server:v2.0.1', ...ns],
      ['annotate', '--overwrite', 'deployment/NAME', ...ns, 'kubernetes.io/change-cause=bad release'],
    ]);
    await f.kubectl.ok('rollout', 'undo', 'deployment/twin-a', ...ns);
    const r = await medic('rollback', 'twin-b', ...ns, '--yes');
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, stdout: 'deployment.apps/twin-b rolled back to revision 1 (registry.example.com/api-server:v2.0.0)\n' });
    f.sim.advance(60_000);
    const [a, b] = [await twinState(f, 'twin-a'), await twinState(f, 'twin-b')];
    expect(b).toEqual(a);
    expect(b.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(b.replicaSets.map((x) => [x.revision, x.history, x.replicas])).toEqual([
      ['2', undefined, 0],
      ['3', '1', 2],
    ]);
  });

  it('matches kubectl with --to-revision too', async () => {
    await makeTwins(f, ['pair-a', 'pair-b'], [
      ['set', 'image', 'deployment/NAME', 'app=registry.example.com/api-server:v2.1.0', ...ns],
      ['set', 'image', 'deployment/NAME', 'app=registry.example.com/api-server:v1.9.3', ...ns],
    ]);
    await f.kubectl.ok('rollout', 'undo', 'deployment/pair-a', ...ns, '--to-revision=2');
    const r = await medic('rollback', 'pair-b', ...ns, '--to-revision', '2', '--yes', '--output', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ rolledBack: true, fromRevision: 3, toRevision: 2, images: 'registry.example.com/api-server:v2.1.0' });
    f.sim.advance(60_000);
    const [a, b] = [await twinState(f, 'pair-a'), await twinState(f, 'pair-b')];
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
