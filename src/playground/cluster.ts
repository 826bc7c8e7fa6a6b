import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { printPodFields } from '../domain/kubectl/pods.js';
import { podReady } from '../domain/pod-state.js';
import { currentReplicaSet, rolloutStatus, type RolloutStatus } from '../domain/rollout.js';
import { CHANGE_CAUSE_ANNOTATION, imagesOf, revisionOf } from '../domain/workload.js';
import { MedicError } from '../errors.js';
import { breakScenario, loadHealthyRevisions } from '../sim/kube/catalog/load.js';
import { baseDeployment, findScenario, SCENARIOS, type Scenario } from '../sim/kube/catalog/scenarios.js';
import { thaw, type KubeObject } from '../sim/kube/object.js';
import { resourceOfKind } from '../sim/kube/resources.js';
import type { KubeSimulator } from '../sim/kube/simulator.js';

const DEPLOYMENTS = resourceOfKind('Deployment');
const REPLICA_SETS = resourceOfKind('ReplicaSet');
const PODS = resourceOfKind('Pod');

export interface PodView {
  name: string;
  /** kubectl's STATUS column: Running, ErrImagePull, CrashLoopBackOff, Pending … */
  status: string;
  ready: string;
  restarts: string;
  healthy: boolean;
}

export interface DeploymentView {
  namespace: string;
  name: string;
  revision: number;
  images: string[];
  replicas: { desired: number; updated: number; ready: number; available: number };
  rollout: RolloutStatus;
  pods: PodView[];
  /** The catalog scenario this deployment plays, and whether it runs its healthy first revision now. */
  scenario?: { name: string; description: string; expect: string[]; atBaseline: boolean };
}

const key = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * The playground's cluster: every catalog scenario at its healthy first
 * revision, broken on request (its runbook's change, the failing revision
 * rolling out) and reset to that first revision's template.
 */
export class PlaygroundCluster {
  /** The ReplicaSet of each scenario's healthy first revision: the deployment is at baseline while it is the current one. */
  private readonly baseline = new Map<string, string>();

  constructor(private readonly sim: KubeSimulator) {}

  async load(): Promise<void> {
    await loadHealthyRevisions(this.sim, SCENARIOS);
    for (const s of SCENARIOS) {
      this.sim.loadedScenarios.add(s.name);
      const rs = this.currentReplicaSet(this.deployment(s));
      if (rs?.metadata?.name) this.baseline.set(key(s.namespace, s.deployment), rs.metadata.name);
    }
  }

  /** Rolls out the scenario's failing revision. */
  break(name: string): void {
    const s = this.scenario(name);
    if (!this.atBaseline(s)) throw new MedicError('CONFLICT', `${s.namespace}/${s.deployment} is not at its healthy first revision; reset it before breaking it again`);
    breakScenario(this.sim.store, s);
  }

  /** Back to the first revision's spec (a new rollout of that template, as `kubectl rollout undo --to-revision=1`). */
  reset(name: string): void {
    const s = this.scenario(name);
    const d = thaw(this.deployment(s));
    const base = baseDeployment(s);
    d.spec = { ...base.spec!, paused: false };
    d.metadata!.annotations = { ...d.metadata!.annotations, [CHANGE_CAUSE_ANNOTATION]: `playground reset of ${s.deployment} to ${s.tag}` };
    this.sim.store.update(DEPLOYMENTS, d as unknown as KubeObject);
  }

  /** Every scenario not at its first revision, reset. */
  resetAll(): string[] {
    const changed = SCENARIOS.filter((s) => !this.atBaseline(s));
    for (const s of changed) this.reset(s.name);
    return changed.map((s) => s.name);
  }

  /** Every deployment with its pods, as `kubectl get deploy,pods` would show them. */
  deployments(): DeploymentView[] {
    const now = this.sim.clock.now();
    const scenarios = new Map(SCENARIOS.map((s) => [key(s.namespace, s.deployment), s]));
    const replicaSets = this.sim.store.list(REPLICA_SETS) as unknown as ReplicaSet[];
    const pods = this.sim.store.list(PODS) as unknown as Pod[];
    return (this.sim.store.list(DEPLOYMENTS) as unknown as Deployment[]).map((d) => {
      const ns = d.metadata!.namespace!;
      const owned = replicaSets.filter((rs) => rs.metadata?.namespace === ns && rs.metadata.ownerReferences?.some((o) => o.uid === d.metadata!.uid));
      const rsUids = new Set(owned.map((rs) => rs.metadata!.uid));
      const s = scenarios.get(key(ns, d.metadata!.name!));
      const status = d.status ?? {};
      return {
        namespace: ns,
        name: d.metadata!.name!,
        revision: revisionOf(d),
        images: imagesOf(d.spec?.template),
        replicas: { desired: d.spec?.replicas ?? 1, updated: status.updatedReplicas ?? 0, ready: status.readyReplicas ?? 0, available: status.availableReplicas ?? 0 },
        rollout: rolloutStatus(d),
        pods: pods
          .filter((p) => p.metadata?.namespace === ns && p.metadata.ownerReferences?.some((o) => rsUids.has(o.uid)))
          .map((p) => {
            const f = printPodFields(p, now);
            return { name: f.name, status: f.status, ready: f.ready, restarts: f.restarts, healthy: podReady(p) && f.status === 'Running' };
          })
          .sort((a, b) => a.name.localeCompare(b.name)),
        ...(s ? { scenario: { name: s.name, description: s.description, expect: s.expect, atBaseline: this.atBaseline(s, d, owned) } } : {}),
      };
    });
  }

  private atBaseline(s: Scenario, d = this.deployment(s), owned?: ReplicaSet[]): boolean {
    return this.currentReplicaSet(d, owned)?.metadata?.name === this.baseline.get(key(s.namespace, s.deployment));
  }

  private currentReplicaSet(d: Deployment, owned?: ReplicaSet[]): ReplicaSet | undefined {
    const list = owned ?? (this.sim.store.list(REPLICA_SETS, { namespace: d.metadata!.namespace! }) as unknown as ReplicaSet[]).filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === d.metadata!.uid));
    return currentReplicaSet(d, list);
  }

  private deployment(s: Scenario): Deployment {
    return this.sim.store.mustGet(DEPLOYMENTS, s.namespace, s.deployment) as unknown as Deployment;
  }

  private scenario(name: string): Scenario {
    const s = findScenario(name);
    if (!s) throw new MedicError('NOT_FOUND', `no scenario "${name}"; the catalog has: ${SCENARIOS.map((x) => x.name).join(', ')}`);
    return s;
  }
}
