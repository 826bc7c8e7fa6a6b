import type { Policy } from '../config/policy.js';
import { allows, groupsOf, type Decision, type Permission, type Subject } from '../domain/policy.js';
import type { Clock, UserGroups } from '../ports.js';

const GROUP_TTL_MS = 5 * 60_000;

/** Answers the policy for a chat user, resolving the user groups it names (cached for five minutes). */
export interface AccessService {
  check(userId: string, permission: Permission): Promise<Decision>;
}

export class PolicyAccess implements AccessService {
  // Group members expire on the injected clock; a miss asks the chat again, so no replica depends on another's cache.
  private readonly groups = new Map<string, { members: Set<string>; at: number }>();

  constructor(
    private readonly policy: Policy,
    private readonly userGroups: UserGroups,
    private readonly clock: Clock,
  ) {}

  async check(userId: string, permission: Permission): Promise<Decision> {
    return allows(this.policy, await this.subject(userId, permission), permission);
  }

  private async subject(userId: string, permission: Permission): Promise<Subject> {
    const groups = new Set<string>();
    // Most policies name users; groups are resolved only when the user is not named directly.
    if (allows(this.policy, { userId, groups }, permission).ok) return { userId, groups };
    for (const group of groupsOf(this.policy, permission)) if ((await this.members(group)).has(userId)) groups.add(group);
    return { userId, groups };
  }

  private async members(groupId: string): Promise<Set<string>> {
    const cached = this.groups.get(groupId);
    const now = this.clock.now().getTime();
    if (cached && now - cached.at < GROUP_TTL_MS) return cached.members;
    const members = new Set(await this.userGroups.members(groupId));
    this.groups.set(groupId, { members, at: now });
    return members;
  }
}
