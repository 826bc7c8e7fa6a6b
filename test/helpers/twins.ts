import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { SimFixture } from './sim.js';

/**
 * Twin deployments: two identical Deployments taken through the same history,
 * then changed once each (one by kubectl, one by deploy-medic), and compared.
 */
export const TWIN_NAMESPACE = 'production';
const ns = ['-n', TWIN_NAMESPACE];

function manifest(name: string, container: Partial<Container>): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: TWIN_NAMESPACE, labels: { app: name } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.example.com/api-server:v2.0.0', ports: [{ containerPort: 8080 }], ...container }] },
      },
    },
  });
}

/** Creates both twins and runs each step (kubectl argv, NAME standing for the twin) on both, letting the controllers run between. */
export async function makeTwins(f: SimFixture, names: [string, string], steps: string[][], container: Partial<Container> = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'medic-twins-'));
  for (const name of names) {
    writeFileSync(join(dir, `${name}.json`), manifest(name, container));
    await f.kubectl.ok('create', '-f', join(dir, `${name}.json`));
    await f.kubectl.ok('annotate', `deployment/${name}`, ...ns, 'kubernetes.io/change-cause=first');
  }
  f.sim.advance(60_000);
  for (const step of steps) {
    for (const name of names) await f.kubectl.ok(...step.map((s) => s.replace('NAME', name)));
    f.sim.advance(30_000);
  }
}

/** kubectl stamps restartedAt with its own clock: the one value that may differ between twins. */
const RESTARTED_AT = /("kubectl\.kubernetes\.io\/restartedAt":\s*)"[^"]*"/g;

/** The deployment and its ReplicaSets as kubectl shows them, the twin's name replaced so the two compare equal. */
export async function twinState(f: SimFixture, name: string) {
  const normalise = (text: string) => JSON.parse(text.replaceAll(name, 'TWIN').replace(RESTARTED_AT, '$1"RESTARTED_AT"')) as Record<string, unknown>;
  const d = normalise(await f.kubectl.ok('get', 'deployment', name, ...ns, '-o', 'json')) as {
    metadata: { generation: number; annotations: Record<string, string> };
    spec: { template: unknown };
  };
  const rs = normalise(await f.kubectl.ok('get', 'rs', ...ns, '-l', `app=${name}`, '-o', 'json')) as {
    items: Array<{ metadata: { annotations: Record<string, string> }; spec: { replicas: number; template: { spec: unknown } } }>;
  };
  return {
    generation: d.metadata.generation,
    spec: d.spec,
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
