/** What one running container uses right now, as cAdvisor would report it to metrics-server. */
export interface ContainerUsageSample {
  container: string;
  cpuNanoCores: number;
  memoryBytes: number;
  /** Sim time (ms) the sample was taken. */
  at: number;
}

/**
 * Resource usage of the running containers, written by the pod workers and
 * read by the metrics.k8s.io API: a container appears when it starts and
 * disappears when it stops.
 */
export class ContainerUsage {
  private readonly byPod = new Map<string, Map<string, ContainerUsageSample>>();

  set(namespace: string, pod: string, sample: ContainerUsageSample): void {
    const key = `${namespace}/${pod}`;
    const containers = this.byPod.get(key) ?? new Map<string, ContainerUsageSample>();
    containers.set(sample.container, sample);
    this.byPod.set(key, containers);
  }

  clear(namespace: string, pod: string, container?: string): void {
    const key = `${namespace}/${pod}`;
    if (container === undefined) this.byPod.delete(key);
    else this.byPod.get(key)?.delete(container);
  }

  /** Samples of a pod's running containers, in the order they started. */
  of(namespace: string, pod: string): ContainerUsageSample[] {
    return [...(this.byPod.get(`${namespace}/${pod}`)?.values() ?? [])];
  }
}
