import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { ContainerUsage, ContainerUsageSample } from '../kubelet/usage.js';
import type { KubeObject } from '../object.js';
import { resourceOfKind, type ResourceType } from '../resources.js';
import { parseFieldSelector } from '../field-selectors.js';
import { parseLabelSelector } from '../selectors.js';
import { StatusError } from '../status-error.js';
import type { ObjectStore } from '../store.js';
import { column, nameColumn } from '../tables/columns.js';
import { sendJson } from './http-util.js';

const PODS = resourceOfKind('Pod');
const NODES = resourceOfKind('Node');
const GV = 'metrics.k8s.io/v1beta1';
/** metrics-server's default --metric-resolution. */
const WINDOW = '15s';
/** What a node's kubelet, runtime and system daemons use besides the pods. */
const NODE_OVERHEAD = { cpuNanoCores: 120e6, memoryBytes: 900 * 1024 * 1024 };

const cpu = (nano: number) => `${Math.round(nano)}n`;
const memory = (bytes: number) => `${Math.round(bytes / 1024)}Ki`;

/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it (what `kubectl top`
 * reads): PodMetrics for pods with running containers, NodeMetrics for every
 * node, from what the simulated containers use. Read-only: get and list.
 */
export function serveMetrics(
  deps: { store: ObjectStore; usage: ContainerUsage },
  req: IncomingMessage,
  res: ServerResponse,
  route: { resource: ResourceType; namespace?: string; name?: string },
  url: URL,
): void {
  if (req.method !== 'GET' || url.searchParams.get('watch') === 'true') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const { store } = deps;
  const now = store.clock.timestamp();
  const isPods = route.resource.kind === 'PodMetrics';
  const source = isPods ? PODS : NODES;
  const render = (o: KubeObject) => (isPods ? podMetrics(o, deps.usage.of(o.metadata.namespace!, o.metadata.name!), now) : nodeMetrics(store, deps.usage, o, now));
  if (route.name) {
    const obj = store.get(source, route.namespace, route.name);
    const metrics = obj && render(obj);
    if (!metrics) throw new StatusError(404, 'NotFound', `${isPods ? 'podmetrics' : 'nodemetrics'}.metrics.k8s.io "${route.name}" not found`, { name: route.name, group: 'metrics.k8s.io', kind: isPods ? 'pods' : 'nodes' });
    return sendJson(res, 200, metrics);
  }
  const objects = store.list(source, {
    namespace: route.namespace,
    labels: parseLabelSelector(url.searchParams.get('labelSelector')),
    fields: parseFieldSelector(url.searchParams.get('fieldSelector'), route.resource),
  });
  const items = objects.map(render).filter((m): m is NonNullable<typeof m> => m !== undefined);
  if ((req.headers.accept ?? '').includes('as=Table')) return sendJson(res, 200, metricsTable(items), 'application/json;as=Table;v=v1;g=meta.k8s.io');
  sendJson(res, 200, { kind: isPods ? 'PodMetricsList' : 'NodeMetricsList', apiVersion: GV, metadata: {}, items });
}

function podMetrics(obj: KubeObject, samples: ContainerUsageSample[], now: string) {
  if (!samples.length) return undefined;
  const pod = obj as unknown as Pod;
  return {
    kind: 'PodMetrics',
    apiVersion: GV,
    metadata: { name: pod.metadata!.name, namespace: pod.metadata!.namespace, creationTimestamp: now, ...(pod.metadata?.labels ? { labels: pod.metadata.labels } : {}) },
    timestamp: now,
    window: WINDOW,
    containers: samples.map((s) => ({ name: s.container, usage: { cpu: cpu(s.cpuNanoCores), memory: memory(s.memoryBytes) } })),
  };
}

function nodeMetrics(store: ObjectStore, usage: ContainerUsage, obj: KubeObject, now: string) {
  const node = obj as unknown as Node;
  const total = { ...NODE_OVERHEAD };
  for (const p of store.list(PODS).filter((o) => (o as unknown as Pod).spec?.nodeName === node.metadata!.name)) {
    for (const s of usage.of(p.metadata.namespace!, p.metadata.name!)) {
      total.cpuNanoCores += s.cpuNanoCores;
      total.memoryBytes += s.memoryBytes;
    }
  }
  return {
    kind: 'NodeMetrics',
    apiVersion: GV,
    metadata: { name: node.metadata!.name, creationTimestamp: now, ...(node.metadata?.labels ? { labels: node.metadata.labels } : {}) },
    timestamp: now,
    window: WINDOW,
    usage: { cpu: cpu(total.cpuNanoCores), memory: memory(total.memoryBytes) },
  };
}

/** metrics-server's table: NAME, CPU, MEMORY, WINDOW (a pod's usage summed over its containers). */
function metricsTable(items: Array<{ metadata: { name?: string }; window: string; usage?: { cpu: string; memory: string }; containers?: Array<{ usage: { cpu: string; memory: string } }> }>) {
  const sum = (values: string[], unit: string) => `${values.reduce((a, v) => a + Number(v.slice(0, -unit.length)), 0)}${unit}`;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {},
    columnDefinitions: [nameColumn, column('CPU', 'string', 'CPU usage'), column('Memory', 'string', 'Memory usage'), column('Window', 'string', 'Interval the usage was measured over')],
    rows: items.map((m) => {
      const u = m.usage ?? { cpu: sum(m.containers!.map((c) => c.usage.cpu), 'n'), memory: sum(m.containers!.map((c) => c.usage.memory), 'Ki') };
      return { cells: [m.metadata.name ?? '', u.cpu, u.memory, m.window], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: m.metadata } };
    }),
  };
}
