import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { startupAllowanceSeconds } from '../failure-signals.js';
import { jsonEqual } from '../json.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import { ANNOTATIONS_TO_SKIP, maxSurge, maxUnavailable, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, revisionOf, templateWithoutHash } from '../workload.js';
import { withDeploymentDefaults } from './defaults.js';
import { servicesAfterRollout } from './endpoints.js';
import { wouldBePodName, wouldBeTemplateHash } from './naming.js';
import { podRef, runningPod, unschedulablePod, wouldBeEvent, type Clock, type WouldBePod } from './pods.js';
import { environmentTroubles, mountTroubles, probeMisses, pullTroubles } from './predict.js';
import { rsRefusals } from './refusals.js';
import { playRollout } from './rollout-steps.js';
import type { PreflightWorld } from './world.js';

/** Past every start-up allowance: the would-be world is looked at once probes' failures count. */
const MARGIN_SECONDS = 60;
/** Would-be pods with troubles of their own are numbered apart from the rollout's. */
const TROUBLE_PODS_FROM = 1000;

export interface WouldBe {
  /** The snapshot the diagnosis' analyzers read: the cluster with the new revision rolled out as far as it would get. */
  snapshot: DeploymentSnapshot;
  /** The revision the Deployment would be at: the current one when its pod template does not change. */
  revision: number;
}

/**
 * The world after `kubectl apply`: the Deployment as stored, its new
 * ReplicaSet, and would-be pods showing what the scheduler, the quotas,
 * the admission plugins and the kubelet would do with the new template,
 * each trouble in a pod of its own so none hides another.
 */
export function wouldBe(world: PreflightWorld, now: Date): WouldBe {
  const stored = world.deploymentDryRun?.ok ? world.deploymentDryRun.object : withDeploymentDefaults(world.candidate);
  const name = stored.metadata?.name ?? '';
  const namespace = stored.metadata?.namespace ?? '';
  const template = stored.spec?.template ?? {};
  const start = now.toISOString();
  const uid = world.live?.metadata?.uid ?? stored.metadata?.uid ?? `preflight-${name}`;

  // The ReplicaSet the controller would roll out: one with this template already (a rollback), or a new one.
  const liveRevision = revisionOf(world.live);
  const same = world.replicaSets.find((rs) => jsonEqual(templateWithoutHash(rs.spec?.template ?? {}), templateWithoutHash(template)));
  const unchanged = same !== undefined && revisionOf(same) === liveRevision && liveRevision > 0;
  const revision = unchanged ? liveRevision : Math.max(0, ...world.replicaSets.map(revisionOf)) + 1;
  const hash = same?.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL] ?? wouldBeTemplateHash(template);
  const rsName = same?.metadata?.name ?? `${name}-${hash}`;
  const rsUid = same?.metadata?.uid ?? `preflight-${rsName}`;
  const labels = { ...template.metadata?.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
  const desired = stored.spec?.replicas ?? 1;

  const dryPod = world.podDryRun?.ok ? world.podDryRun.object : undefined;
  const base: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      labels,
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true, blockOwnerDeletion: true }],
      creationTimestamp: start,
    },
    spec: { ...(dryPod?.spec ?? template.spec ?? { containers: [] }), nodeName: undefined },
  };
  const seenMs = now.getTime() + (startupAllowanceSeconds(base, stored.spec?.minReadySeconds) + MARGIN_SECONDS) * 1000;
  const clock: Clock = { start, seen: new Date(seenMs).toISOString() };

  const old = world.pods.filter((p) => !p.metadata?.ownerReferences?.some((o) => o.uid === rsUid));
  const ours = new Set(world.pods.map((p) => p.metadata?.uid));
  const others = world.clusterPods.filter((p) => !ours.has(p.metadata?.uid));
  const rollout = unchanged
    ? { blockers: [], firstNode: undefined }
    : playRollout(
        { pod: base, replicaSet: rsName, desired, surge: maxSurge(stored), unavailable: maxUnavailable(stored), recreate: stored.spec?.strategy?.type === 'Recreate', oldPods: old, otherPods: others, quotas: world.resourceQuotas },
        { nodes: world.nodes, claims: world.persistentVolumeClaims, classes: world.storageClasses },
      );
  const node = rollout.firstNode ?? world.nodes[0]?.metadata?.name;

  let n = TROUBLE_PODS_FROM;
  const nextPod = (): Pod => ({ ...base, metadata: { ...base.metadata, name: wouldBePodName(rsName, n++) } });
  const troubled = [...kubeletTroubles(world, base.spec, namespace, nextPod, node, clock), ...rollout.blockers.flatMap((b): WouldBePod[] => {
    if (b.kind !== 'unschedulable') return [];
    const pod: Pod = { ...base, metadata: { ...base.metadata, name: b.pod } };
    return [{ pod: unschedulablePod(pod, clock, b.message), events: [wouldBeEvent(podRef(pod), 'FailedScheduling', b.message, clock, { component: 'default-scheduler' })] }];
  })];

  const rsAbout = { kind: 'ReplicaSet', name: rsName, namespace, uid: rsUid };
  const refusals = [...rollout.blockers.filter((b) => b.kind === 'refused').map((b) => b.message), ...rsRefusals(world, nextPod().metadata!.name!)];
  const rsEvents: Event[] = refusals.map((message, i) => ({
    ...wouldBeEvent(rsAbout, 'FailedCreate', `Error creating: ${message}`, clock, { component: 'replicaset-controller' }),
    metadata: { name: `${rsName}.preflight-failedcreate-${i}`, namespace },
  }));

  const replicaSet: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      ...(same?.metadata ?? { name: rsName, namespace, uid: rsUid, creationTimestamp: start, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid, controller: true, blockOwnerDeletion: true }] }),
      annotations: { ...same?.metadata?.annotations, ...copiedAnnotations(stored), [REVISION_ANNOTATION]: String(revision) },
    },
    spec: { replicas: desired, selector: stored.spec?.selector ?? {}, template: { ...template, metadata: { ...template.metadata, labels } } },
    status: { ...same?.status, replicas: (same?.status?.replicas ?? 0) + troubled.length },
  };
  const deployment = wouldBeDeployment(stored, world, uid, revision, troubled.length);
  const pods = troubled.map((t) => t.pod);
  return {
    revision,
    snapshot: {
      deployment,
      replicaSets: [...world.replicaSets.filter((rs) => rs.metadata?.uid !== rsUid), replicaSet],
      pods: [...world.pods, ...pods],
      events: [...world.events, ...troubled.flatMap((t) => t.events), ...rsEvents],
      nodes: world.nodes,
      resourceQuotas: world.resourceQuotas,
      configRefs: world.configRefs,
      persistentVolumeClaims: world.persistentVolumeClaims,
      storageClasses: world.storageClasses,
      services: servicesAfterRollout(world.services, labels, old),
      logs: [],
      registry: world.registry,
      // A registry that answered with an error says nothing about the image: that is a note, not a prediction.
      notes: [...world.notes, ...world.registry.filter((c) => c.status === 'error').map((c) => ({ source: `registry check of ${c.image}`, message: c.detail }))],
      collectedAt: clock.seen,
    },
  };
}

/** Pods the kubelet would have trouble with, one per trouble: image pulls, environment references, volume mounts, probes. */
function kubeletTroubles(world: PreflightWorld, spec: Pod['spec'], namespace: string, nextPod: () => Pod, node: string | undefined, clock: Clock): WouldBePod[] {
  const out: WouldBePod[] = [];
  const pulls = pullTroubles(spec, world.registry);
  if (pulls.length) out.push({ pod: runningPod(nextPod(), node, clock, { waiting: pulls }), events: [] });
  for (const w of environmentTroubles(spec, world.configRefs, namespace)) out.push({ pod: runningPod(nextPod(), node, clock, { waiting: [w] }), events: [] });
  for (const message of mountTroubles(spec, world.configRefs)) {
    const pod = nextPod();
    const creating = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => ({ container: c.name, reason: 'ContainerCreating', message: '' }));
    out.push({ pod: runningPod(pod, node, clock, { waiting: creating }), events: [wouldBeEvent(podRef(pod), 'FailedMount', message, clock)] });
  }
  const misses = probeMisses(spec);
  if (misses.length) {
    const pod = nextPod();
    const unready = [...new Set(misses.filter((m) => m.kind !== 'startup').map((m) => m.container))];
    const events = misses.map((m) => wouldBeEvent(podRef(pod), 'Unhealthy', `${m.kind.charAt(0).toUpperCase()}${m.kind.slice(1)} probe failed: ${m.output}`, clock, { container: m.container, count: 3 }));
    out.push({ pod: runningPod(pod, node, clock, { unready }), events });
  }
  return out;
}

/**
 * The Deployment as it would stand while the new revision fails to become
 * available: the old pods the strategy keeps still serve (none with
 * Recreate, none for a new Deployment), so the diagnosis weighs the impact
 * as it would then.
 */
function wouldBeDeployment(stored: Deployment, world: PreflightWorld, uid: string, revision: number, updated: number): Deployment {
  const desired = stored.spec?.replicas ?? 1;
  const recreate = stored.spec?.strategy?.type === 'Recreate';
  const serving = recreate ? 0 : Math.max(0, Math.min(world.live?.status?.availableReplicas ?? 0, desired - maxUnavailable(stored)));
  const generation = world.live ? (world.live.metadata?.generation ?? 0) + 1 : 1;
  return {
    ...stored,
    metadata: { ...stored.metadata, uid, generation, annotations: { ...world.live?.metadata?.annotations, ...stored.metadata?.annotations, [REVISION_ANNOTATION]: String(revision) } },
    status: { observedGeneration: generation, replicas: serving + updated, updatedReplicas: updated, readyReplicas: serving, availableReplicas: serving, unavailableReplicas: Math.max(0, desired - serving) },
  };
}

/** The Deployment's annotations the controller copies onto its new ReplicaSet (the change cause among them). */
const copiedAnnotations = (d: Deployment): Record<string, string> => Object.fromEntries(Object.entries(d.metadata?.annotations ?? {}).filter(([k]) => !ANNOTATIONS_TO_SKIP.has(k)));
