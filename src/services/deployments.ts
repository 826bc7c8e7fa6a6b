import { randomUUID } from 'node:crypto';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import type { BotServices, DeploymentTarget, ProposalOptions } from '../../commands/types.js';
import type { ClusterDirectory } from '../adapters/kube/clusters.js';
import { collectDeploymentSnapshot, DEFAULT_COLLECT_OPTIONS, toContainerLog } from '../adapters/kube/collector.js';
import { translateTimestampSince } from '../domain/kubectl/duration.js';
import { printPodFields } from '../domain/kubectl/pods.js';
import { deploymentFacts } from '../domain/diagnosis.js';
import { revisionHistory, rolloutStatus } from '../domain/rollout.js';
import type { DeploymentSnapshot } from '../domain/snapshot.js';
import { revisionOf } from '../domain/workload.js';
import { MedicError } from '../errors.js';
import type { Clock, ImageChecker } from '../ports.js';
import { redactText } from '../redact.js';
import { diagnoseDeployment } from './diagnose.js';
import { prepareRollback } from './rollback.js';
import type { HistoryView, LogsView, PodRow, ProposalView, ProposedAction, StatusView, WarningEvent } from './views.js';

const MAX_WARNINGS = 10;

/**
 * What `/deploy` commands read and propose, over every cluster of the policy.
 * Nothing here changes a cluster: proposals are plans, executed only once approved.
 */
export class DeploymentServices implements BotServices {
  constructor(
    private readonly clusters: ClusterDirectory,
    private readonly registry: ImageChecker,
    private readonly clock: Clock,
  ) {}

  private snapshot(t: DeploymentTarget, full: boolean): Promise<DeploymentSnapshot> {
    const cluster = this.clusters.get(t.cluster);
    const opts = full ? DEFAULT_COLLECT_OPTIONS : { ...DEFAULT_COLLECT_OPTIONS, maxLogTargets: 0 };
    return collectDeploymentSnapshot(cluster, full ? this.registry : undefined, t, this.clock, opts);
  }

  async assertExists(t: DeploymentTarget): Promise<void> {
    await this.clusters.get(t.cluster).getDeployment(t.namespace, t.name);
  }

  async status(t: DeploymentTarget): Promise<StatusView> {
    return statusView(await this.snapshot(t, false), t.cluster, this.clock.now());
  }

  diagnose(t: DeploymentTarget) {
    return diagnoseDeployment({ collect: () => this.snapshot(t, true) }, t);
  }

  async history(t: DeploymentTarget): Promise<HistoryView> {
    const snap = await this.snapshot(t, false);
    return { ...t, revisions: revisionHistory(snap.deployment, snap.replicaSets).map(({ replicaSet: _rs, ...r }) => r) };
  }

  async logs(req: Parameters<BotServices['logs']>[0]): Promise<LogsView> {
    const snap = await this.snapshot(req, false);
    const pod = req.pod ? snap.pods.find((p) => p.metadata?.name === req.pod) : mostRelevantPod(snap);
    if (!pod) {
      throw new MedicError('NOT_FOUND', req.pod ? `pod "${req.pod}" is not one of ${req.namespace}/${req.name}'s pods` : `${req.namespace}/${req.name} has no pods`);
    }
    const containers = (pod.spec?.containers ?? []).map((c) => c.name);
    const container = req.container ?? pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0]!;
    if (!containers.includes(container)) throw new MedicError('USAGE', `container "${container}" is not in pod ${pod.metadata?.name} (containers: ${containers.join(', ')})`);
    const cluster = this.clusters.get(req.cluster);
    const text = await cluster.readPodLog(req.namespace, pod.metadata!.name!, {
      container,
      previous: req.previous,
      tailLines: req.tailLines,
      limitBytes: DEFAULT_COLLECT_OPTIONS.logLimitBytes,
    });
    const log = toContainerLog(pod.metadata!.name!, container, req.previous, text, { ...DEFAULT_COLLECT_OPTIONS, logTailLines: req.tailLines });
    return { cluster: req.cluster, namespace: req.namespace, name: req.name, pod: log.pod, container, previous: req.previous, lines: log.lines, truncated: log.truncated, containers };
  }

  async propose(action: ProposedAction, t: DeploymentTarget, requestedBy: string, opts: ProposalOptions): Promise<ProposalView> {
    const cluster = this.clusters.get(t.cluster);
    const base = { ...t, id: randomUUID(), action, requestedBy, createdAt: this.clock.now().toISOString() };
    const target = `deployment/${t.name} -n ${t.namespace}`;
    if (action === 'rollback') {
      const plan = await prepareRollback(cluster, t, opts.toRevision ?? 0);
      if (!plan.ok) throw new MedicError(plan.reason === 'revision-not-found' || plan.reason === 'no-history' ? 'NOT_FOUND' : 'USAGE', plan.message);
      const images = (plan.patch[0]!.value as { spec?: { containers?: Array<{ image?: string }> } }).spec?.containers?.map((c) => c.image ?? '') ?? [];
      return {
        ...base,
        summary: `Roll ${t.namespace}/${t.name} back from revision ${plan.fromRevision} to revision ${plan.toRevision} (${images.join(', ')}).`,
        fromRevision: plan.fromRevision,
        toRevision: plan.toRevision,
        images,
        command: `kubectl rollout undo ${target} --to-revision=${plan.toRevision}`,
      };
    }
    const d = await cluster.getDeployment(t.namespace, t.name);
    const paused = Boolean(d.spec?.paused);
    const containers = (d.spec?.template?.spec?.containers ?? []).map((c) => c.name);
    const container = opts.container ?? containers[0]!;
    if ((action === 'set-image' || action === 'set-memory-limit') && !containers.includes(container)) {
      throw new MedicError('USAGE', `container "${container}" is not in ${t.namespace}/${t.name} (containers: ${containers.join(', ')})`);
    }
    const revision = revisionOf(d);
    switch (action) {
      case 'pause':
        if (paused) throw new MedicError('USAGE', `${t.namespace}/${t.name} is already paused`);
        return { ...base, summary: `Pause the rollout of ${t.namespace}/${t.name} (revision ${revision}).`, command: `kubectl rollout pause ${target}` };
      case 'resume':
        if (!paused) throw new MedicError('USAGE', `${t.namespace}/${t.name} is not paused`);
        return { ...base, summary: `Resume the rollout of ${t.namespace}/${t.name} (revision ${revision}).`, command: `kubectl rollout resume ${target}` };
      case 'restart':
        if (paused) throw new MedicError('USAGE', `${t.namespace}/${t.name} is paused; resume it before restarting`);
        return { ...base, summary: `Restart every pod of ${t.namespace}/${t.name} (revision ${revision}).`, command: `kubectl rollout restart ${target}` };
      case 'set-image':
        if (!opts.image) throw new MedicError('USAGE', 'a set-image proposal needs an image');
        return { ...base, summary: `Set the image of container ${container} of ${t.namespace}/${t.name} to ${opts.image}.`, images: [opts.image], command: `kubectl set image ${target} ${container}=${opts.image}` };
      case 'set-memory-limit':
        if (!opts.memory) throw new MedicError('USAGE', 'a memory proposal needs a limit');
        return { ...base, summary: `Set the memory limit of container ${container} of ${t.namespace}/${t.name} to ${opts.memory}.`, command: `kubectl set resources ${target} -c ${container} --limits=memory=${opts.memory}` };
    }
  }
}

/** The failing pod worth reading first: newest revision, not ready, most restarts; else any pod of the newest revision. */
function mostRelevantPod(snap: DeploymentSnapshot): Pod | undefined {
  const revisionOfPod = podRevisions(snap);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  return [...snap.pods].sort(
    (a, b) =>
      (revisionOfPod(b) ?? 0) - (revisionOfPod(a) ?? 0) ||
      Number(ready(a)) - Number(ready(b)) ||
      restarts(b) - restarts(a) ||
      a.metadata!.name!.localeCompare(b.metadata!.name!),
  )[0];
}

function podRevisions(snap: DeploymentSnapshot): (p: Pod) => number | null {
  const byUid = new Map(snap.replicaSets.map((rs) => [rs.metadata?.uid, revisionOf(rs)]));
  return (p) => byUid.get(p.metadata?.ownerReferences?.find((o) => o.controller)?.uid) ?? null;
}

export function statusView(snap: DeploymentSnapshot, cluster: string, now: Date): StatusView {
  const d = snap.deployment;
  const revisionOfPod = podRevisions(snap);
  const pods: PodRow[] = snap.pods
    .map((p) => {
      const f = printPodFields(p, now);
      return { name: f.name, ready: f.ready, status: f.status, restarts: f.restarts, age: f.age, node: f.node, revision: revisionOfPod(p) };
    })
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0) || a.name.localeCompare(b.name));
  return {
    cluster,
    namespace: d.metadata?.namespace ?? '',
    name: d.metadata?.name ?? '',
    ...deploymentFacts(d),
    rollout: rolloutStatus(d),
    pods,
    warnings: warnings(snap.events, now),
    collectedAt: snap.collectedAt,
  };
}

function warnings(events: Event[], now: Date): WarningEvent[] {
  return events
    .filter((e) => e.type === 'Warning')
    .map((e) => ({ e, at: e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '' }))
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, MAX_WARNINGS)
    .map(({ e, at }) => ({
      object: `${e.involvedObject.kind?.toLowerCase()}/${e.involvedObject.name}`,
      reason: e.reason ?? '',
      message: redactText(e.message ?? ''),
      count: e.count ?? 1,
      lastSeen: translateTimestampSince(at, now),
    }));
}
