import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { as, type ControllerContext } from '../controllers/context.js';
import type { SeededRandom } from '../random.js';
import { resourceOfKind } from '../resources.js';
import type { ImageSource } from './image-source.js';
import type { LogStore } from './log-store.js';
import type { ContainerUsage } from './usage.js';
import { PodWorker } from './pod-worker.js';

const PODS = resourceOfKind('Pod');
const NODES = resourceOfKind('Node');

export interface KubeletDeps extends ControllerContext {
  logs: LogStore;
  images: ImageSource;
  random: SeededRandom;
  usage: ContainerUsage;
  nodeOf(pod: Pod): string;
  hostIPOf(node: string): string;
  /** The image cache of a node. */
  imagesOn(node: string): Set<string>;
}

/**
 * The kubelets of every simulated node: one PodWorker per bound pod, started
 * when the scheduler binds it and stopped when the pod is deleted.
 */
export function startKubelets(ctx: ControllerContext & { logs: LogStore; images: ImageSource; random: SeededRandom; usage: ContainerUsage }): void {
  const workers = new Map<string, PodWorker>();
  const imageCaches = new Map<string, Set<string>>();
  const nextIP = new Map<string, number>();
  const nodeIndex = (node: string) => Math.max(0, ctx.store.list(NODES).findIndex((n) => n.metadata.name === node));
  const deps: KubeletDeps = {
    ...ctx,
    nodeOf: (pod) => pod.spec!.nodeName!,
    hostIPOf: (node) => {
      const n = ctx.store.get(NODES, undefined, node);
      return (n && as<Node>(n).status?.addresses?.find((a) => a.type === 'InternalIP')?.address) ?? `192.168.49.${nodeIndex(node) + 2}`;
    },
    imagesOn: (node) => {
      let cache = imageCaches.get(node);
      if (!cache) imageCaches.set(node, (cache = new Set()));
      return cache;
    },
  };
  const allocateIP = (node: string) => {
    const n = (nextIP.get(node) ?? 1) + 1;
    nextIP.set(node, n);
    return `10.244.${nodeIndex(node) + 1}.${n % 254 || 254}`;
  };

  ctx.store.subscribe((ev) => {
    if (ev.resource !== PODS) return;
    const uid = ev.object.metadata.uid!;
    if (ev.type === 'DELETED') {
      workers.get(uid)?.stop();
      workers.delete(uid);
      return;
    }
    const pod = as<Pod>(ev.object);
    if (!pod.spec?.nodeName || workers.has(uid) || !ctx.store.get(NODES, undefined, pod.spec.nodeName)) return;
    const worker = new PodWorker(deps, pod.metadata!.namespace!, pod.metadata!.name!, uid, allocateIP(pod.spec.nodeName));
    workers.set(uid, worker);
    ctx.runtime.enqueue(`kubelet/${uid}`, () => worker.start());
  });
}
