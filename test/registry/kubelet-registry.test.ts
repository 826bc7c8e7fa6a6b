import type { Pod, PodList } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import { IMAGE_CATALOG, REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { RegistryImageSource } from '../../src/sim/kube/kubelet/registry-image-source.js';
import { pushCatalog, startRegistry, type TestRegistry } from '../helpers/registry.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * The simulator's kubelet pulls through a real registry that holds the
 * catalog's images: it and the registry check agree on what exists, and
 * pushing the missing tag is what lets the rollout go on.
 */
let registry: TestRegistry;
let source: RegistryImageSource;
let f: SimFixture;
const MISSING = `${REGISTRY}/api-server:v2.0.1`;

beforeAll(async () => {
  registry = await startRegistry();
  const pushed = await pushCatalog(registry, IMAGE_CATALOG, { hostAlias: REGISTRY });
  expect(pushed).toContain('api-server:v2.0.0');
  expect(pushed).not.toContain('api-server:v2.0.1');
  source = new RegistryImageSource({ registries: [{ host: REGISTRY, endpoint: registry.url }] });
  f = await startSim({ images: source, scenarios: ['image-tag-not-found'] });
});
afterAll(async () => {
  await f?.sim.stop();
  source?.close();
  await registry?.stop();
});

async function podsOf(app: string): Promise<Pod[]> {
  return (await f.get<PodList>(`/api/v1/namespaces/production/pods?labelSelector=app%3D${app}`)).items;
}

/** Moves sim time in steps, giving the kubelet's registry requests real time to answer, until `probe` finds something. */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, stepMs = 5_000, steps = 200): Promise<T> {
  for (let i = 0; i < steps; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 20));
    f.sim.advance(stepMs);
  }
  throw new Error(`gave up waiting for ${what}`);
}

const container = (pod: Pod) => pod.status?.containerStatuses?.[0];

describe('the simulated kubelet on a real registry', () => {
  it('backs off pulling a tag the registry does not have, with the runtime message', async () => {
    const message = await eventually('ImagePullBackOff', async () => {
      const pod = (await podsOf('api-server')).find((p) => p.spec?.containers[0]?.image === MISSING && container(p)?.state?.waiting?.reason === 'ImagePullBackOff');
      return pod ? container(pod)!.state!.waiting!.message : undefined;
    });
    expect(message).toContain(`manifest for ${MISSING} not found: manifest unknown: manifest unknown`);
  });

  it('agrees with the registry check, which names the nearest existing tags', async () => {
    const client = new RegistryClient({ registries: [{ host: REGISTRY, endpoint: registry.url }] });
    const check = await client.check(MISSING, []);
    client.close();
    expect(check).toMatchObject({ status: 'tag-not-found', nearestTags: ['v2.0.0', 'v2.1.0', 'v1.9.3'] });
  });

  it('runs the pods once the tag is pushed', async () => {
    const digest = await registry.push('api-server', 'v2.0.1');
    const running = await eventually('v2.0.1 pods running', async () => {
      const pods = (await podsOf('api-server')).filter((p) => p.spec?.containers[0]?.image === MISSING);
      return pods.length && pods.every((p) => container(p)?.state?.running && container(p)?.ready) ? pods : undefined;
    });
    expect(running.map((p) => container(p)!.imageID)).toContain(`${REGISTRY}/api-server@${digest}`);
  });
});
