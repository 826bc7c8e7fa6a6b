import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { stringify } from 'yaml';
import { CHANGE_CAUSE_ANNOTATION } from '../../src/domain/workload.js';
import { REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { loadHealthyRevisions } from '../../src/sim/kube/catalog/load.js';
import { baseDeployment, type Scenario } from '../../src/sim/kube/catalog/scenarios.js';
import type { KubeSimulatorOptions } from '../../src/sim/kube/simulator.js';
import { startCatalogRegistry, type CatalogRegistry } from '../helpers/catalog-registry.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * The failing revision of a scenario as a manifest: revision 1's template
 * with the scenario's change made (and paused first when the scenario
 * pauses), what a pipeline would hand to `kubectl apply`.
 */
export function badManifest(s: Scenario): Deployment {
  const d = baseDeployment(s);
  if (s.pauseFirst) d.spec!.paused = true;
  s.change(d, d.spec!.template!.spec!.containers[0]!);
  d.metadata!.annotations = { ...d.metadata!.annotations, [CHANGE_CAUSE_ANNOTATION]: s.changeCause };
  return d;
}

export interface PreflightWorldFixture {
  registry: CatalogRegistry;
  sim: SimFixture;
  /** A DEPLOY_MEDIC_CONFIG pointing the registry checks at the catalog registry. */
  env: Record<string, string>;
  dir: string;
  /** Writes a manifest (YAML) into the fixture's directory; its path. */
  write(name: string, docs: unknown[]): string;
  stop(): Promise<void>;
}

/**
 * The catalog's scenarios at their healthy revision 1, before anyone rolls
 * out the change: the cluster a preflight is run against. The simulated
 * kubelet pulls from a real registry holding the catalog's images.
 */
export async function startPreflightWorld(scenarios: Scenario[], opts: KubeSimulatorOptions = {}): Promise<PreflightWorldFixture> {
  const registry = await startCatalogRegistry();
  const sim = await startSim({ images: registry.source, ...opts });
  await loadHealthyRevisions(sim.sim, scenarios);
  const dir = mkdtempSync(join(tmpdir(), 'medic-preflight-'));
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, `registries:\n  - host: ${REGISTRY}\n    endpoint: ${registry.registry.url}\n`);
  return {
    registry,
    sim,
    env: { DEPLOY_MEDIC_CONFIG: policy },
    dir,
    write(name, docs) {
      const file = join(dir, name);
      writeFileSync(file, docs.map((d) => stringify(d)).join('---\n'));
      return file;
    },
    async stop() {
      await sim.sim.stop();
      await registry.stop();
    },
  };
}
