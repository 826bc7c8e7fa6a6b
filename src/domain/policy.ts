import type { Policy } from '../config/policy.js';

/**
 * Who may do what, and where a request from a channel points: pure rules
 * over the policy file, shared by Slack, the CLI and the watcher. Group
 * membership is resolved by the caller (services/access.ts) and passed in.
 */
export type Role = 'readers' | 'operators' | 'approvers';

/** What a request needs: to read, to propose a change, or to approve one. */
export type Permission = 'read' | 'operate' | 'approve';

export const ROLE_OF: Record<Permission, Role> = { read: 'readers', operate: 'operators', approve: 'approvers' };

export interface Subject {
  userId: string;
  /** The user groups (S…) of the policy this user belongs to. */
  groups: ReadonlySet<string>;
}

export type Decision = { ok: true } | { ok: false; role: Role; reason: string };

/** The user group principals a role names: the only groups worth resolving for it. */
export function groupsOf(policy: Policy, permission: Permission): string[] {
  return policy.access[ROLE_OF[permission]].filter((p) => p.startsWith('S'));
}

/** Whether a principal list names the subject: "*", its user ID, or one of its groups. */
export function names(principals: readonly string[], subject: Subject): boolean {
  return principals.some((p) => p === '*' || p === subject.userId || subject.groups.has(p));
}

export function allows(policy: Policy, subject: Subject, permission: Permission): Decision {
  const role = ROLE_OF[permission];
  if (names(policy.access[role], subject)) return { ok: true };
  return { ok: false, role, reason: `it needs the ${role} role of the policy file` };
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
