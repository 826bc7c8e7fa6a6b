import type { Policy } from '../config.js';
import type { Clock } from '../ports.js';

export type Role = 'readers' | 'operators' | 'approvers';

/** Members of a Slack user group (usergroups.users.list). */
export type GroupMembers = (groupId: string) => Promise<string[]>;

const GROUP_TTL_MS = 5 * 60_000;

/**
 * Who may do what, from the policy file: a principal is a user ID, a user
 * group ID (resolved through Slack, cached for five minutes) or "*".
 */
export class AccessControl {
  private readonly groups = new Map<string, { members: Set<string>; at: number }>();

  constructor(
    private readonly policy: Policy,
    private readonly members: GroupMembers,
    private readonly clock: Clock,
  ) {}

  async allows(userId: string, role: Role): Promise<boolean> {
    for (const principal of this.policy.access[role]) {
      if (principal === '*' || principal === userId) return true;
      if (principal.startsWith('S') && (await this.groupMembers(principal)).has(userId)) return true;
    }
    return false;
  }

  private async groupMembers(groupId: string): Promise<Set<string>> {
    const cached = this.groups.get(groupId);
    const now = this.clock.now().getTime();
    if (cached && now - cached.at < GROUP_TTL_MS) return cached.members;
    const members = new Set(await this.members(groupId));
    this.groups.set(groupId, { members, at: now });
    return members;
  }
}

export interface Target {
  cluster: string;
  namespace: string;
}

export type TargetResult = { ok: true; target: Target } | { ok: false; problem: string };

/**
 * Where a command from a channel points: the cluster and namespace it asked
 * for, else the channel's binding. A bound channel reaches only its own
 * namespaces; once any channel is bound, unbound channels reach nothing.
 */
export function resolveTarget(policy: Policy, channelId: string, requested: { cluster?: string; namespace?: string }): TargetResult {
  const clusters = policy.clusters.length ? policy.clusters.map((c) => c.name) : ['default'];
  const binding = policy.channels.find((b) => b.channel === channelId);
  if (!binding && policy.channels.length) {
    return { ok: false, problem: 'this channel is not bound to a cluster in the policy file; use a bound channel or ask an admin to add a binding' };
  }
  const cluster = requested.cluster ?? binding?.cluster ?? clusters[0]!;
  if (!clusters.includes(cluster)) return { ok: false, problem: `unknown cluster "${cluster}" (known: ${clusters.join(', ')})` };
  if (binding && cluster !== binding.cluster) return { ok: false, problem: `this channel is bound to cluster "${binding.cluster}", not "${cluster}"` };
  const namespace = requested.namespace ?? (binding?.namespaces.length === 1 ? binding.namespaces[0] : undefined);
  if (!namespace) {
    return { ok: false, problem: binding ? `which namespace? add -n NAMESPACE (this channel is bound to ${binding.namespaces.join(', ')})` : 'which namespace? add -n NAMESPACE' };
  }
  if (binding && !binding.namespaces.includes(namespace)) {
    return { ok: false, problem: `namespace "${namespace}" is not bound to this channel (bound: ${binding.namespaces.join(', ')})` };
  }
  return { ok: true, target: { cluster, namespace } };
}
