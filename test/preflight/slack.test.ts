import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { loadHealthyRevisions } from '../../src/sim/kube/catalog/load.js';
import { findScenario } from '../../src/sim/kube/catalog/scenarios.js';
import { resourceOfKind } from '../../src/sim/kube/resources.js';
import { startBot, type BotFixture } from '../helpers/bot.js';
import { buttonsOf, codesIn, deploy } from '../helpers/bot-commands.js';
import { startCatalogRegistry, type CatalogRegistry } from '../helpers/catalog-registry.js';

/**
 * `/deploy preflight NAME --image IMAGE` end to end: a signed slash command
 * from the Slack emulator, the bot as `deploy-medic serve` runs it, the
 * simulated cluster at the scenarios' healthy revision 1, the real registry.
 */
let world: CatalogRegistry;
let b: BotFixture;
const DEPLOYMENTS = resourceOfKind('Deployment');
const resourceVersion = (name: string) => b.sim.sim.store.get(DEPLOYMENTS, 'production', name)?.metadata.resourceVersion;

beforeAll(async () => {
  world = await startCatalogRegistry();
  b = await startBot({ sim: { images: world.source }, registryUrl: world.registry.url });
  await loadHealthyRevisions(b.sim.sim, [findScenario('healthy')!, findScenario('image-tag-not-found')!]);
}, 120_000);

afterAll(async () => {
  await b?.stop();
  await world?.stop();
});

describe('/deploy preflight', () => {
  it('a change that would fail: the verdict, the root cause with the nearest tags as buttons, and nothing changed', async () => {
    const before = resourceVersion('api-server');
    const a = await deploy(b, `preflight api-server -n production --image ${REGISTRY}/api-server:v2.0.1`);
    expect(a.message, a.text).toBeDefined();
    expect(a.text).toContain('Would fail: Image tag v2.0.1 not found in registry.example.com/api-server');
    expect(a.text).toContain('v2.0.1 does not exist in registry.example.com/api-server; v2.0.0 and v2.1.0 do');
    expect(a.text).toContain('Preflight of production/api-server with registry.example.com/api-server:v2.0.1: nothing was changed');
    expect(codesIn(a.text)[0]).toBe('IMAGE_TAG_NOT_FOUND');
    expect(buttonsOf(a.message!).map((x) => x.text)).toContain(`Propose image ${REGISTRY}/api-server:v2.1.0`);
    expect(resourceVersion('api-server')).toBe(before);
  });

  it('a change that would roll out', async () => {
    const a = await deploy(b, `preflight web-frontend -n production --image web-frontend=${REGISTRY}/web-frontend:v1.4.1`);
    expect(a.text).toContain('✅ production/web-frontend: the change would roll out');
  });

  it('says what is missing, or which container does not exist, only to the requester', async () => {
    const missing = await deploy(b, 'preflight web-frontend -n production');
    expect(missing.ephemeral, missing.text).toBeDefined();
    expect(missing.text).toContain('missing --image (the image the change would run: --image IMAGE, or --image CONTAINER=IMAGE for one of several containers)');
    const wrong = await deploy(b, `preflight web-frontend -n production --image sidecar=${REGISTRY}/web-frontend:v1.4.1`);
    expect(wrong.ephemeral, wrong.text).toBeDefined();
    expect(wrong.text).toContain('container "sidecar" is not in web-frontend (containers: web-frontend)');
  });
});
