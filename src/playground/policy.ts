import { stringify } from 'yaml';

/**
 * Who is who in the playground: the Slack emulator's workspace fixture
 * (src/sim/slack/fixtures.ts) given one role each, so the console can act as
 * an operator, as an approver (another person: four-eyes holds in the
 * protected namespace) and as someone who may only read.
 */
export type PlaygroundRole = 'operator' | 'approver' | 'reader';

export const PLAYGROUND_ROLES: Readonly<Record<string, PlaygroundRole>> = { U0ALICE: 'operator', U0BOB: 'approver', U0CAROL: 'reader' };

export const ROLE_DESCRIPTION: Readonly<Record<PlaygroundRole, string>> = {
  operator: 'may propose actions: rollback, restart, pause, resume, set image',
  approver: 'may approve proposals (not their own in production)',
  reader: 'may read: status, diagnose, logs, history',
};

export const PROD_CHANNEL = 'C0PROD';
export const INCIDENTS_CHANNEL = 'C0INCIDENTS';
export const PROTECTED_NAMESPACE = 'production';
/** Seconds without a restart after a fix for it to count as verified: short, so the loop finishes while one watches. */
const SETTLE_SECONDS = 10;

const usersWith = (role: PlaygroundRole) => Object.keys(PLAYGROUND_ROLES).filter((id) => PLAYGROUND_ROLES[id] === role);

/**
 * The policy file of the playground's bot: both channels bound to every
 * namespace of the catalog, the watcher over all of them (a broken scenario
 * opens an incident thread), and every failing rollout paged at once, so
 * the PagerDuty side shows without waiting out the unanswered deadline.
 */
export function playgroundPolicy(input: { namespaces: string[]; routingKeys: Record<string, string> }): string {
  const { namespaces, routingKeys } = input;
  return stringify({
    channels: [PROD_CHANNEL, INCIDENTS_CHANNEL].map((channel) => ({ channel, cluster: 'default', namespaces })),
    access: { readers: ['*'], operators: usersWith('operator'), approvers: usersWith('approver') },
    approvals: { protectedNamespaces: [PROTECTED_NAMESPACE], settleSeconds: SETTLE_SECONDS },
    incidents: { channel: INCIDENTS_CHANNEL, watchNamespaces: namespaces },
    escalation: { routingKeys, pageImmediately: ['critical', 'error'], unansweredMinutes: 10 },
  });
}
