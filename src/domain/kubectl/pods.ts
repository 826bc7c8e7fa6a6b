/**
 * How kubectl shows a pod: the READY, STATUS and RESTARTS derivation of
 * printPod in pkg/printers/internalversion/printers.go (v1.30-1.32). Shared by
 * the simulator's Table output and the bot's status card.
 */
import type { Container, ContainerStateTerminated, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from './duration.js';
import { parseTime } from './timestamp.js';

export interface PodFields {
  name: string;
  ready: string;
  status: string;
  restarts: string;
  age: string;
  ip: string;
  node: string;
  nominatedNode: string;
  readinessGates: string;
}

/** The node controller's status.reason for pods on a node that stopped reporting. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

/** Sidecars: init containers with restartPolicy Always keep running beside the app containers. */
function isRestartableInitContainer(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/** The first condition of the type decides (isPodInitializedConditionTrue, readiness gates). */
function firstConditionTrue(conditions: PodCondition[], type: string): boolean {
  return conditions.find((c) => c.type === type)?.status === 'True';
}

/** Tracks the latest lastState.terminated.finishedAt, for "N (5m ago)". */
class LastRestart {
  private at: number | undefined;
  timestamp: string | undefined;

  observe(status: ContainerStatus): void {
    const finishedAt = status.lastState?.terminated?.finishedAt;
    const at = parseTime(finishedAt);
    if (at !== undefined && (this.at === undefined || at > this.at)) {
      this.at = at;
      this.timestamp = finishedAt;
    }
  }
}

function terminatedReason(terminated: ContainerStateTerminated, prefix: string): string {
  if (terminated.reason) return `${prefix}${terminated.reason}`;
  if (terminated.signal) return `${prefix}Signal:${terminated.signal}`;
  return `${prefix}ExitCode:${terminated.exitCode ?? 0}`;
}

/** The fields of a `kubectl get pods -o wide` line for a pod. */
export function printPodFields(pod: Pod, now: Date): PodFields {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const conditions = status.conditions ?? [];
  const phase = status.phase ?? '';
  const initSpecs = spec?.initContainers ?? [];

  let reason = status.reason || phase;
  if (conditions.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initContainers = new Map(initSpecs.map((c) => [c.name, c]));
  const totalContainers = (spec?.containers ?? []).length + initSpecs.filter(isRestartableInitContainer).length;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  const lastRestart = new LastRestart();
  const lastSidecarRestart = new LastRestart();

  let initializing = false;
  for (const [i, container] of (status.initContainerStatuses ?? []).entries()) {
    const restartable = isRestartableInitContainer(initContainers.get(container.name));
    restarts += container.restartCount ?? 0;
    lastRestart.observe(container);
    if (restartable) {
      sidecarRestarts += container.restartCount ?? 0;
      lastSidecarRestart.observe(container);
    }

    const terminated = container.state?.terminated;
    const waiting = container.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (restartable && container.started === true) {
      if (container.ready) readyContainers++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  let shownRestart = lastRestart;
  if (!initializing || firstConditionTrue(conditions, 'Initialized')) {
    // Once initialized, only sidecar restarts carry over from the init phase.
    restarts = sidecarRestarts;
    shownRestart = lastSidecarRestart;
    let hasRunning = false;
    // Walk backwards so the first container's state has the final say.
    for (const container of [...(status.containerStatuses ?? [])].reverse()) {
      restarts += container.restartCount ?? 0;
      shownRestart.observe(container);
      const waiting = container.state?.waiting;
      const terminated = container.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) reason = terminatedReason(terminated, '');
      else if (container.ready && container.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A completed container beside one still running does not make the pod "Completed".
    if (reason === 'Completed' && hasRunning) {
      const ready = conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }

  const deleting = pod.metadata?.deletionTimestamp != null;
  if (deleting && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell =
    restarts !== 0 && shownRestart.timestamp !== undefined
      ? `${restarts} (${translateTimestampSince(shownRestart.timestamp, now)} ago)`
      : String(restarts);

  return {
    name: pod.metadata?.name ?? '',
    ready: `${readyContainers}/${totalContainers}`,
    status: reason,
    restarts: restartsCell,
    age: translateTimestampSince(pod.metadata?.creationTimestamp, now),
    // v1→internal conversion makes status.podIP authoritative over podIPs[0].
    ip: status.podIP || status.podIPs?.[0]?.ip || '<none>',
    node: spec?.nodeName || '<none>',
    nominatedNode: status.nominatedNodeName || '<none>',
    readinessGates: readinessGates(pod),
  };
}

/** "true/total" over spec.readinessGates, or "<none>". */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const satisfied = gates.filter((g) => firstConditionTrue(conditions, g.conditionType)).length;
  return `${satisfied}/${gates.length}`;
}
