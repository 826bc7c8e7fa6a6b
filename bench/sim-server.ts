/**
 * The benchmark's API server in its own process, as a real one would be:
 * prints one JSON line with its URL and the objects loaded, then serves until killed.
 */
import { KubeSimulator } from '../src/sim/kube/simulator.js';
import { loadFailingDeployment } from './world.js';

const [pods, events] = process.argv.slice(2).map(Number);
const sim = await KubeSimulator.start({ controllers: false, clock: 'manual' });
const loaded = loadFailingDeployment(sim, { pods: pods ?? 300, events: events ?? 5000 });
process.stdout.write(`${JSON.stringify({ url: sim.url, kubeconfig: sim.kubeconfig(), ...loaded })}\n`);
process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
