import { KubeSimulator, type KubeSimulatorOptions } from '../../src/sim/kube/simulator.js';
import { Kubectl } from './kubectl.js';

export interface SimFixture {
  sim: KubeSimulator;
  kubectl: Kubectl;
  /** GET a path of the simulated API server as JSON. */
  get<T = unknown>(path: string): Promise<T>;
}

/** A simulator on a manual clock (time moves only when a test says so), with kubectl pointed at it. */
export async function startSim(opts: KubeSimulatorOptions = {}): Promise<SimFixture> {
  // Hours in the past, so ages kubectl computes from the wall clock stay positive after tests jump ahead.
  const sim = await KubeSimulator.start({ clock: 'manual', start: new Date(Date.now() - 6 * 3600_000), ...opts });
  const kubectl = new Kubectl(sim.kubeconfig());
  return {
    sim,
    kubectl,
    async get<T>(path: string) {
      const res = await fetch(sim.url + path);
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}

/** The metav1.Status body the apiserver answers a failed request with. */
export const failureStatus = (code: number, reason: string, message: string, details?: Record<string, unknown>) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});
