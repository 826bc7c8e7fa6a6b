import type { PagerDutyFixture, SimEscalationPolicy, SimService } from './types.js';

/** Integration keys of the policy file's escalation tiers (32 characters, as PagerDuty's). */
export const DEFAULT_ROUTING_KEYS: Record<string, string> = {
  L1: 'l1devops000000000000000000000001',
  L2: 'l2backend00000000000000000000002',
  L3: 'l3platform0000000000000000000003',
};

export const DEFAULT_API_TOKEN = 'u+medicsim-api-token';

const TEAM_NAMES: Record<string, string> = { L1: 'DevOps', L2: 'Backend engineering', L3: 'Platform' };

/**
 * Alice is primary on call and Bob secondary for every tier; Carol is on no
 * schedule (someone to reassign to). One service per routing key, each with
 * its own two-level escalation policy.
 */
export function defaultFixture(routingKeys: Record<string, string> = DEFAULT_ROUTING_KEYS): PagerDutyFixture {
  const policies: SimEscalationPolicy[] = [];
  const services: SimService[] = [];
  Object.entries(routingKeys).forEach(([name, routingKey], i) => {
    const suffix = String(i + 1).padStart(2, '0');
    const team = TEAM_NAMES[name] ?? name;
    policies.push({
      id: `PEPOL${suffix}`,
      name: `${team} (${name})`,
      rules: [
        { escalationDelayInMinutes: 10, targets: [{ type: 'schedule', id: 'PSCHED1' }] },
        { escalationDelayInMinutes: 10, targets: [{ type: 'schedule', id: 'PSCHED2' }] },
      ],
    });
    services.push({ id: `PSVC0${suffix}`, name: `${team} (${name})`, routingKey, escalationPolicyId: `PEPOL${suffix}`, urgency: 'severity_based' });
  });
  return {
    users: [
      { id: 'PALICE0', name: 'Alice Anders', email: 'alice@example.com', timeZone: 'Europe/Berlin' },
      { id: 'PBOB000', name: 'Bob Brown', email: 'bob@example.com', timeZone: 'America/New_York' },
      { id: 'PCAROL0', name: 'Carol Chen', email: 'carol@example.com', timeZone: 'Asia/Singapore' },
    ],
    schedules: [
      { id: 'PSCHED1', name: 'Primary on-call', onCallUserId: 'PALICE0' },
      { id: 'PSCHED2', name: 'Secondary on-call', onCallUserId: 'PBOB000' },
    ],
    escalationPolicies: policies,
    services,
  };
}

/** Throws on a reference to a user, schedule or policy that does not exist, or a malformed routing key. */
export function checkFixture(f: PagerDutyFixture): void {
  const users = new Set(f.users.map((u) => u.id));
  const schedules = new Set(f.schedules.map((s) => s.id));
  const policies = new Set(f.escalationPolicies.map((p) => p.id));
  const problems: string[] = [];
  for (const s of f.schedules) if (!users.has(s.onCallUserId)) problems.push(`schedule ${s.id} puts unknown user ${s.onCallUserId} on call`);
  for (const p of f.escalationPolicies)
    for (const t of p.rules.flatMap((r) => r.targets))
      if (!(t.type === 'user' ? users : schedules).has(t.id)) problems.push(`escalation policy ${p.id} targets unknown ${t.type} ${t.id}`);
  for (const s of f.services) {
    if (!policies.has(s.escalationPolicyId)) problems.push(`service ${s.id} uses unknown escalation policy ${s.escalationPolicyId}`);
    if (s.routingKey.length !== 32) problems.push(`service ${s.id}: a routing key has 32 characters, got ${s.routingKey.length}`);
  }
  if (problems.length) throw new Error(`PagerDuty emulator fixture: ${problems.join('; ')}`);
}
