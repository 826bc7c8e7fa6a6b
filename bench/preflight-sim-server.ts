/**
 * The preflight benchmark's API server in its own process: the catalog
 * scenarios named on the command line at their healthy revision 1, the
 * kubelet pulling from the registry at the given URL. Prints one JSON line
 * with its URL and kubeconfig, then serves until killed.
 */
import { REGISTRY } from '../src/sim/kube/catalog/images.js';
import { loadHealthyRevisions } from '../src/sim/kube/catalog/load.js';
import { findScenario } from '../src/sim/kube/catalog/scenarios.js';
import { RegistryImageSource } from '../src/sim/kube/kubelet/registry-image-source.js';
import { KubeSimulator } from '../src/sim/kube/simulator.js';

const [registryUrl, ...names] = process.argv.slice(2);
const images = new RegistryImageSource({ registries: [{ host: REGISTRY, endpoint: registryUrl! }] });
const sim = await KubeSimulator.start({ clock: 'manual', images });
await loadHealthyRevisions(sim, names.map((n) => findScenario(n)!));
process.stdout.write(`${JSON.stringify({ url: sim.url, kubeconfig: sim.kubeconfig() })}\n`);
process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
