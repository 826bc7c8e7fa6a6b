import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { CHANGE_CAUSE_ANNOTATION } from '../../../domain/workload.js';
import type { KubeObject } from '../object.js';
import { thaw } from '../object.js';
import { nodeObject } from '../nodes.js';
import { resourceOfKind } from '../resources.js';
import type { ObjectStore } from '../store.js';
import type { Scenario } from './scenario.js';
import { baseDeployment } from './scenarios.js';

const NAMESPACES = resourceOfKind('Namespace');
const DEPLOYMENTS = resourceOfKind('Deployment');
const NODES = resourceOfKind('Node');

/** Sim time a healthy first revision gets to roll out, and the failing one to fail (past the 10-minute deadline). */
export const HEALTHY_PHASE_MS = 2 * 60_000;
export const FAILING_PHASE_MS = 11 * 60_000;

export interface World {
  store: ObjectStore;
  /** Moves sim time forward, letting controllers (and image pulls in flight) settle at every step. */
  advanceAsync(ms: number): Promise<void>;
}

/**
 * Plays the scenarios' history: revision 1 rolls out healthy, then each
 * deployment is changed the way its runbook describes and left to fail.
 */
export async function loadScenarios(world: World, scenarios: Scenario[]): Promise<void> {
  await loadHealthyRevisions(world, scenarios);
  for (const s of scenarios) breakScenario(world.store, s);
  await world.advanceAsync(FAILING_PHASE_MS);
}

/** The first half of the history: each scenario's objects and its revision 1, rolled out healthy. */
export async function loadHealthyRevisions(world: World, scenarios: Scenario[]): Promise<void> {
  const { store } = world;
  for (const s of scenarios) {
    ensureNamespace(store, s.namespace, s.namespaceLabels);
    for (const shape of s.nodes ?? []) {
      if (!store.get(NODES, undefined, shape.name)) store.create(NODES, nodeObject(shape, store.list(NODES).length, store.clock.timestamp()) as unknown as KubeObject);
    }
    for (const obj of s.setup ?? []) createIfMissing(store, obj);
    createIfMissing(store, baseDeployment(s) as unknown as KubeObject);
  }
  await world.advanceAsync(HEALTHY_PHASE_MS);
}

/** The scenario's change, made the way its runbook describes: its failing revision starts rolling out. */
export function breakScenario(store: ObjectStore, s: Scenario): void {
  if (s.pauseFirst) updateDeployment(store, s, (d) => (d.spec!.paused = true));
  updateDeployment(store, s, (d) => {
    const container = d.spec!.template!.spec!.containers[0]!;
    s.change(d, container);
    d.metadata!.annotations = { ...d.metadata!.annotations, [CHANGE_CAUSE_ANNOTATION]: s.changeCause };
  });
}

export function ensureNamespace(store: ObjectStore, name: string, labels?: Record<string, string>): void {
  const existing = store.get(NAMESPACES, undefined, name);
  if (!existing) store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(labels ? { labels } : {}) } });
  else if (labels) {
    const next = thaw(existing);
    next.metadata.labels = { ...next.metadata.labels, ...labels };
    store.update(NAMESPACES, next);
  }
}

function createIfMissing(store: ObjectStore, obj: KubeObject): void {
  const resource = resourceOfKind(obj.kind);
  if (!store.get(resource, obj.metadata.namespace, obj.metadata.name!)) store.create(resource, obj);
}

function updateDeployment(store: ObjectStore, s: Scenario, mutate: (d: Deployment) => void): void {
  const d = thaw(store.mustGet(DEPLOYMENTS, s.namespace, s.deployment)) as unknown as Deployment;
  mutate(d);
  store.update(DEPLOYMENTS, d as unknown as KubeObject);
}
