import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Event, Pod } from 'kubernetes-types/core/v1.js';
import { LOG_LIMITS, toContainerLog } from '../domain/container-log.js';
import { deploymentFacts, type DiagnosisReport } from '../domain/diagnosis.js';
import { eventCount, eventLastSeen, eventLastSeenMs } from '../domain/events.js';
import { translateTimestampSince } from '../domain/kubectl/duration.js';
import { printPodFields } from '../domain/kubectl/pods.js';
import { podReady, podRestarts } from '../domain/pod-state.js';
import { revisionHistory, rolloutStatus, type RolloutStatus } from '../domain/rollout.js';
import type { DeploymentSnapshot } from '../domain/snapshot.js';
import { controllerUid, controlledBy, revisionOf } from '../domain/workload.js';
import { MedicError } from '../errors.js';
import type { PreflightReport } from '../domain/preflight/world.js';
import type { Clock, Clusters, DeploymentTarget, SnapshotSource } from '../ports.js';
import { redactText } from '../redact.js';
import { selectorString } from '../domain/selector.js';
import { diagnoseDeployment } from './diagnose.js';
import type { PreflightChange, PreflightService } from './preflight.js';
import { readRevisions } from './revisions.js';
import type { HistoryView, LogsRequest, LogsView, PodRow, StatusView, WarningEvent } from './views.js';

const MAX_WARNINGS = 10;

/** Runs once the deployment is known to exist, before slower reads: where a caller shows progress. */
export type Found = () => Promise<void>;

/** What can be read about a deployment; nothing here changes a cluster. */
export interface ReadingService {
  /** `kubectl rollout status`, one shot: the Deployment alone. */
  rollout(t: DeploymentTarget): Promise<RolloutStatus>;
  status(t: DeploymentTarget, found?: Found): Promise<StatusView>;
  diagnose(t: DeploymentTarget, found?: Found): Promise<DiagnosisReport>;
  history(t: DeploymentTarget, found?: Found): Promise<HistoryView>;
  logs(req: LogsRequest, found?: Found): Promise<LogsView>;
  /** Would this change to the running deployment work? Dry runs only. */
  preflight(t: DeploymentTarget, change: PreflightChange, found?: Found): Promise<PreflightReport>;
}

/** Each read starts with the Deployment, read once: a missing one fails before `found` runs. */
export class DeploymentReader implements ReadingService {
  constructor(
    private readonly clusters: Clusters,
    private readonly snapshots: SnapshotSource,
    private readonly clock: Clock,
    private readonly preflights: PreflightService,
  ) {}

  async rollout(t: DeploymentTarget): Promise<RolloutStatus> {
    return rolloutStatus(await this.clusters.get(t.cluster).getDeployment(t.namespace, t.name));
  }

  async status(t: DeploymentTarget, found?: Found): Promise<StatusView> {
    const snap = await this.snapshots.collect(t, { scope: 'workload', found });
    return statusView(snap, t.cluster, this.clock.now());
  }

  diagnose(t: DeploymentTarget, found?: Found): Promise<DiagnosisReport> {
    return diagnoseDeployment({ collect: () => this.snapshots.collect(t, { scope: 'diagnosis', found }) });
  }

  preflight(t: DeploymentTarget, change: PreflightChange, found?: Found): Promise<PreflightReport> {
    return this.preflights.checkChange(t, change, found);
  }

  async history(t: DeploymentTarget, found?: Found): Promise<HistoryView> {
    const { deployment, replicaSets } = await readRevisions(this.clusters.get(t.cluster), t, found);
    return { ...t, revisions: revisionHistory(deployment, replicaSets) };
  }

  async logs(req: LogsRequest, found?: Found): Promise<LogsView> {
    const cluster = this.clusters.get(req.cluster);
    const { deployment, replicaSets } = await readRevisions(cluster, req, found);
    const pods = controlledBy(replicaSets, await cluster.listPods(req.namespace, selectorString(deployment.spec?.selector)));
    const pod = req.pod ? pods.find((p) => p.metadata?.name === req.pod) : mostRelevantPod(pods, replicaSets);
    if (!pod) {
      throw new MedicError('NOT_FOUND', req.pod ? `pod "${req.pod}" is not one of ${req.namespace}/${req.name}'s pods` : `${req.namespace}/${req.name} has no pods`);
    }
    const containers = (pod.spec?.containers ?? []).map((c) => c.name);
    const container = req.container ?? pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0]!;
    if (!containers.includes(container)) throw new MedicError('USAGE', `container "${container}" is not in pod ${pod.metadata?.name} (containers: ${containers.join(', ')})`);
    const limits = { ...LOG_LIMITS, tailLines: req.tailLines };
    const text = await cluster.readPodLog(req.namespace, pod.metadata!.name!, { container, previous: req.previous, ...limits });
    const log = toContainerLog(pod.metadata!.name!, container, req.previous, text, limits);
    return { cluster: req.cluster, namespace: req.namespace, name: req.name, pod: log.pod, container, previous: req.previous, lines: log.lines, truncated: log.truncated, containers };
  }
}

/** The failing pod worth reading first: newest revision, not ready, most restarts; else any pod of the newest revision. */
function mostRelevantPod(pods: Pod[], replicaSets: ReplicaSet[]): Pod | undefined {
  const revisionOfPod = podRevisions(replicaSets);
  return [...pods].sort(
    (a, b) =>
      (revisionOfPod(b) ?? 0) - (revisionOfPod(a) ?? 0) ||
      Number(podReady(a)) - Number(podReady(b)) ||
      podRestarts(b) - podRestarts(a) ||
      a.metadata!.name!.localeCompare(b.metadata!.name!),
  )[0];
}

function podRevisions(replicaSets: ReplicaSet[]): (p: Pod) => number | null {
  const byUid = new Map(replicaSets.map((rs) => [rs.metadata?.uid, revisionOf(rs)]));
  return (p) => byUid.get(controllerUid(p)) ?? null;
}

function statusView(snap: DeploymentSnapshot, cluster: string, now: Date): StatusView {
  const d = snap.deployment;
  const revisionOfPod = podRevisions(snap.replicaSets);
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
    .sort((a, b) => eventLastSeenMs(b) - eventLastSeenMs(a))
    .slice(0, MAX_WARNINGS)
    .map((e) => ({
      object: `${e.involvedObject.kind?.toLowerCase()}/${e.involvedObject.name}`,
      reason: e.reason ?? '',
      message: redactText(e.message ?? ''),
      count: eventCount(e),
      lastSeen: translateTimestampSince(eventLastSeen(e), now),
    }));
}
