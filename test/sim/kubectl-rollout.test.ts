import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTable, type KubectlResult } from '../helpers/kubectl.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
beforeAll(async () => {
  f = await startSim({ scenarios: ['healthy', 'image-tag-not-found', 'crash-missing-module'] });
});
afterAll(() => f.sim.stop());

const ns = ['-n', 'production'];

/** Lets a watching kubectl see the world move: sim time advances in steps while it runs. */
async function whileAdvancing(run: Promise<KubectlResult>, seconds: number, step = 5): Promise<KubectlResult> {
  let done = false;
  void run.then(() => (done = true));
  for (let t = 0; t < seconds && !done; t += step) {
    await new Promise((r) => setTimeout(r, 40));
    f.sim.advance(step * 1000);
  }
  return run;
}

const jsonpath = (kind: string, name: string, path: string) => f.kubectl.ok('get', kind, name, ...ns, '-o', `jsonpath=${path}`);

async function history(name: string): Promise<Array<Record<string, string>>> {
  const out = await f.kubectl.ok('rollout', 'history', `deployment/${name}`, ...ns);
  expect(out.split('\n')[0]).toBe(`deployment.apps/${name} `);
  return parseTable(out.split('\n').slice(1).join('\n'));
}

async function replicaSetRevisions(app: string): Promise<Array<{ name: string; revision: string; history: string; replicas: string; image: string }>> {
  const out = await f.kubectl.ok(
    'get', 'rs', ...ns, '-l', `app=${app}`, '-o',
    'jsonpath={range .items[*]}{.metadata.name}|{.metadata.annotations.deployment\\.kubernetes\\.io/revision}|{.metadata.annotations.deployment\\.kubernetes\\.io/revision-history}|{.spec.replicas}|{.spec.template.spec.containers[0].image}{"\\n"}{end}',
  );
  return out.trim().split('\n').map((l) => {
    const [name, revision, hist, replicas, image] = l.split('|');
    return { name: name!, revision: revision!, history: hist!, replicas: replicas!, image: image! };
  });
}

describe('kubectl rollout against the simulator', () => {
  it('rollout status reports a failed rollout as exceeding its progress deadline', async () => {
    const r = await f.kubectl.run('rollout', 'status', 'deployment/api-server', ...ns, '--timeout=20s');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('error: deployment "api-server" exceeded its progress deadline');
  });

  it('rollout history lists revisions with their change causes', async () => {
    expect(await history('api-server')).toEqual([
      { REVISION: '1', 'CHANGE-CAUSE': 'initial deploy of api-server v2.0.0' },
      { REVISION: '2', 'CHANGE-CAUSE': 'deploy api-server v2.0.1 (pipeline #4812)' },
    ]);
  });

  it('rollout undo returns to the previous template and the controller re-numbers it', async () => {
    expect(await f.kubectl.ok('rollout', 'undo', 'deployment/api-server', ...ns)).toBe('deployment.apps/api-server rolled back\n');
    const status = await whileAdvancing(f.kubectl.start('rollout', 'status', 'deployment/api-server', ...ns, '--timeout=60s'), 120);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('deployment "api-server" successfully rolled out');
    expect(await history('api-server')).toEqual([
      { REVISION: '2', 'CHANGE-CAUSE': 'deploy api-server v2.0.1 (pipeline #4812)' },
      { REVISION: '3', 'CHANGE-CAUSE': 'initial deploy of api-server v2.0.0' },
    ]);
    const rss = await replicaSetRevisions('api-server');
    expect(rss).toHaveLength(2);
    const restored = rss.find((r) => r.revision === '3')!;
    expect(restored).toMatchObject({ history: '1', replicas: '3', image: 'registry.example.com/api-server:v2.0.0' });
    expect(await jsonpath('deployment', 'api-server', '{.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).toBe('3');
  });

  it('set image rolls out a new revision and rollout status follows it to success', async () => {
    expect(await f.kubectl.ok('set', 'image', 'deployment/web-frontend', 'web-frontend=registry.example.com/web-frontend:v1.4.0', ...ns)).toBe(
      'deployment.apps/web-frontend image updated\n',
    );
    const status = await whileAdvancing(f.kubectl.start('rollout', 'status', 'deployment/web-frontend', ...ns, '--timeout=60s'), 120);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Waiting for deployment "web-frontend" rollout to finish: \d out of 3 new replicas have been updated\.\.\./);
    expect(status.stdout).toMatch(/deployment "web-frontend" successfully rolled out\n$/);
    expect((await history('web-frontend')).map((r) => r.REVISION)).toEqual(['2', '3']);
  });

  it('rollout undo --to-revision brings back an older revision under a new number', async () => {
    // web-frontend now has revisions 2 (v1.4.1) and 3 (v1.4.0, formerly 1).
    await f.kubectl.ok('rollout', 'undo', 'deployment/web-frontend', ...ns, '--to-revision=2');
    f.sim.advance(120_000);
    const rss = await replicaSetRevisions('web-frontend');
    expect(rss.find((r) => r.image.endsWith(':v1.4.1'))).toMatchObject({ revision: '4', history: '2', replicas: '3' });
    expect(rss.find((r) => r.image.endsWith(':v1.4.0'))).toMatchObject({ revision: '3', history: '1', replicas: '0' });
    const missing = await f.kubectl.run('rollout', 'undo', 'deployment/web-frontend', ...ns, '--to-revision=9');
    expect(missing.stderr.trim()).toBe('error: unable to find specified revision 9 in history');
  });

  it('a progress deadline passes in seconds on the simulated clock', async () => {
    await f.kubectl.ok('set', 'image', 'deployment/web-frontend', 'web-frontend=registry.example.com/web-frontend:v9.9.9', ...ns);
    const status = await whileAdvancing(f.kubectl.start('rollout', 'status', 'deployment/web-frontend', ...ns, '--timeout=60s'), 700, 30);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('Waiting for deployment "web-frontend" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(status.stderr.trim()).toBe('error: deployment "web-frontend" exceeded its progress deadline');
    const condition = JSON.parse(await jsonpath('deployment', 'web-frontend', '{.status.conditions[?(@.type=="Progressing")]}')) as Record<string, string>;
    expect(condition).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(condition.message).toMatch(/^ReplicaSet "web-frontend-[a-z0-9]+" has timed out progressing\.$/);
    await f.kubectl.ok('rollout', 'undo', 'deployment/web-frontend', ...ns);
    f.sim.advance(120_000);
  });

  it('pause stops a rollout and resume lets it continue', async () => {
    expect(await f.kubectl.ok('rollout', 'pause', 'deployment/web-frontend', ...ns)).toBe('deployment.apps/web-frontend paused\n');
    f.sim.advance(1000);
    const paused = JSON.parse(await jsonpath('deployment', 'web-frontend', '{.status.conditions[?(@.type=="Progressing")]}')) as Record<string, string>;
    expect(paused).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    const before = (await replicaSetRevisions('web-frontend')).length;
    await f.kubectl.ok('set', 'image', 'deployment/web-frontend', 'web-frontend=registry.example.com/web-frontend:v1.4.0', ...ns);
    f.sim.advance(60_000);
    expect(await replicaSetRevisions('web-frontend')).toHaveLength(before);
    const undo = await f.kubectl.run('rollout', 'undo', 'deployment/web-frontend', ...ns);
    expect(undo.stderr).toContain("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");

    expect(await f.kubectl.ok('rollout', 'resume', 'deployment/web-frontend', ...ns)).toBe('deployment.apps/web-frontend resumed\n');
    const status = await whileAdvancing(f.kubectl.start('rollout', 'status', 'deployment/web-frontend', ...ns, '--timeout=60s'), 120);
    expect(status.code).toBe(0);
    expect((await replicaSetRevisions('web-frontend')).find((r) => r.replicas === '3')!.image).toBe('registry.example.com/web-frontend:v1.4.0');
  });

  it('rollout restart replaces every pod under a new revision', async () => {
    const podsBefore = parseTable(await f.kubectl.ok('get', 'pods', ...ns, '-l', 'app=web-frontend')).map((r) => r.NAME);
    expect(await f.kubectl.ok('rollout', 'restart', 'deployment/web-frontend', ...ns)).toBe('deployment.apps/web-frontend restarted\n');
    const status = await whileAdvancing(f.kubectl.start('rollout', 'status', 'deployment/web-frontend', ...ns, '--timeout=60s'), 120);
    expect(status.code).toBe(0);
    const restartedAt = await jsonpath('deployment', 'web-frontend', '{.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}');
    expect(restartedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const podsAfter = parseTable(await f.kubectl.ok('get', 'pods', ...ns, '-l', 'app=web-frontend')).map((r) => r.NAME);
    expect(podsAfter).toHaveLength(3);
    expect(podsAfter.filter((p) => podsBefore.includes(p))).toEqual([]);
  });
});
