/**
 * The approvals benchmark's API server in its own process, with controllers
 * and kubelets on the real clock. Its request log goes to stdout: one JSON
 * line per PATCH of a deployment, with the wall-clock time it arrived
 * ({"patch": NAME, "at": epoch ms}), for the driver to time clicks against.
 */
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { KubeSimulator } from '../src/sim/kube/simulator.js';

const PATCH_OF_DEPLOYMENT = /^\/apis\/apps\/v1\/namespaces\/[^/]+\/deployments\/([^/?]+)(\?|$)/;

const requests = new Writable({
  write(chunk, _enc, cb) {
    for (const line of String(chunk).split('\n')) {
      if (!line.includes('"msg":"request"') || !line.includes('"method":"PATCH"')) continue;
      const at = performance.timeOrigin + performance.now();
      const { url } = JSON.parse(line) as { url: string };
      const m = PATCH_OF_DEPLOYMENT.exec(url);
      if (m) process.stdout.write(`${JSON.stringify({ patch: m[1], at })}\n`);
    }
    cb();
  },
});
const sim = await KubeSimulator.start({ clock: 'real', log: pino({ level: 'debug' }, requests) });
process.stdout.write(`${JSON.stringify({ url: sim.url, kubeconfig: sim.kubeconfig() })}\n`);
process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
