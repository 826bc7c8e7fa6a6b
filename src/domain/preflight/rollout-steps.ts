import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1.js';
import { wouldBePodName } from './naming.js';
import { addUsage, countsAgainstQuota, podQuotaUsage, quotaRefusal, sumUsage, type Usage } from './quota.js';
import { schedulePod, type SchedulingWorld } from './scheduler.js';

/** What stops the rollout for good: a new pod the scheduler cannot place, or one the quotas refuse to admit. */
export type Blocker = { kind: 'unschedulable'; pod: string; message: string } | { kind: 'refused'; pod: string; message: string };

export interface RolloutPlan {
  /** The would-be pod; each created pod is a copy under its own name. */
  pod: Pod;
  replicaSet: string;
  desired: number;
  surge: number;
  unavailable: number;
  recreate: boolean;
  /** This deployment's pods of other revisions, which the rollout replaces. */
  oldPods: Pod[];
  /** Every other non-terminal pod the scheduler and the quotas weigh. */
  otherPods: Pod[];
  quotas: ResourceQuota[];
}

export interface RolloutOutcome {
  blockers: Blocker[];
  /** Where the first new pod landed. */
  firstNode?: string;
}

/**
 * The rolling update played out step by step, as the deployment controller
 * and the scheduler would: new pods up to desired + surge, old pods removed
 * while desired - maxUnavailable stay available, new pods counted available
 * once placed (their own troubles are predicted elsewhere). It stops at the
 * first state where nothing can move, and says what holds it there.
 */
export function playRollout(plan: RolloutPlan, world: Omit<SchedulingWorld, 'placed'>): RolloutOutcome {
  const ns = plan.pod.metadata?.namespace;
  const placedOf = (pods: Pod[]) => pods.filter((p) => p.spec?.nodeName).map((p) => ({ pod: p, node: p.spec!.nodeName! }));
  // Pending and not-ready pods go first, as the controller picks them.
  let olds = [...plan.oldPods].sort((a, b) => Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName)) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  const others = plan.otherPods.filter(countsAgainstQuota);
  let used: Usage = sumUsage([...others, ...olds].filter((p) => p.metadata?.namespace === ns));
  const scheduled: Array<{ pod: Pod; node: string }> = [];
  let pending: Pod[] = [];
  let refused: Blocker | undefined;
  let created = 0;
  let firstNode: string | undefined;
  const placed = () => [...placedOf(others), ...placedOf(olds), ...scheduled];
  const minAvailable = plan.recreate ? 0 : plan.desired - plan.unavailable;
  for (;;) {
    let moved = false;
    const stillPending: Pod[] = [];
    for (const pod of pending) {
      const r = schedulePod(pod, { ...world, placed: placed() });
      if ('node' in r) {
        scheduled.push({ pod, node: r.node });
        firstNode ??= r.node;
        moved = true;
      } else stillPending.push(pod);
    }
    pending = stillPending;
    if (scheduled.length >= plan.desired) return { blockers: [], firstNode };
    const total = olds.length + scheduled.length + pending.length;
    const room = plan.recreate ? (olds.length ? 0 : plan.desired - scheduled.length - pending.length) : plan.desired + plan.surge - total;
    if (room > 0) {
      const pod: Pod = { ...plan.pod, metadata: { ...plan.pod.metadata, name: wouldBePodName(plan.replicaSet, created) } };
      const refusal = quotaRefusal(plan.quotas, used, pod);
      refused = refusal ? { kind: 'refused', pod: pod.metadata!.name!, message: refusal } : undefined;
      if (!refusal) {
        created++;
        used = addUsage(used, podQuotaUsage(pod));
        pending.push(pod);
        moved = true;
      }
    }
    if (olds.length && olds.length - 1 + scheduled.length >= minAvailable) {
      const [gone, ...rest] = olds;
      olds = rest;
      used = addUsage(used, podQuotaUsage(gone!), -1);
      moved = true;
    }
    if (!moved) {
      const stuck = pending.map((pod): Blocker => ({ kind: 'unschedulable', pod: pod.metadata!.name!, message: lastWord(pod, world, placed()) }));
      return { blockers: [...stuck, ...(refused ? [refused] : [])], firstNode };
    }
  }
}

const lastWord = (pod: Pod, world: Omit<SchedulingWorld, 'placed'>, placed: SchedulingWorld['placed']) => {
  const r = schedulePod(pod, { ...world, placed });
  return 'message' in r ? r.message : '';
};
