/**
 * Escalation policy as pure functions: who gets paged, when, at which level.
 *
 * Levels follow seed 000's Escalation section: L1 DevOps (rollout and image problems, and the first
 * responder for anything unclassified), L2 backend engineering (code and configuration), L3 platform
 * (cluster resources and infrastructure). The policy file maps each level to a PagerDuty routing key.
 */
import type { FindingCode, Severity } from './finding.js';

export type EscalationLevel = 'L1' | 'L2' | 'L3';
export const ESCALATION_LEVELS: readonly EscalationLevel[] = ['L1', 'L2', 'L3'];

export type RootCauseCategory = 'rollout' | 'application' | 'platform';

export const CATEGORY_LEVEL: Record<RootCauseCategory, EscalationLevel> = { rollout: 'L1', application: 'L2', platform: 'L3' };

/**
 * Every finding code's category. A Record over FindingCode, so a new code does not compile until it is
 * placed here. The rule: whoever changes what is broken. A manifest reference (Secret, ConfigMap, claim,
 * probe, selector, securityContext) is the application's configuration; what the cluster cannot give
 * (capacity, quota, nodes, storage, admission webhooks, a reachable registry) is the platform's; the
 * rollout itself and the images it names are DevOps'.
 */
export const FINDING_CATEGORY: Record<FindingCode, RootCauseCategory> = {
  IMAGE_TAG_NOT_FOUND: 'rollout',
  IMAGE_REPOSITORY_NOT_FOUND: 'rollout',
  IMAGE_PULL_UNAUTHORIZED: 'rollout',
  IMAGE_PULL_FAILED: 'rollout',
  INVALID_IMAGE_NAME: 'rollout',
  // The image may be fine; the path to the registry (network, DNS, the registry service) is not.
  REGISTRY_UNREACHABLE: 'platform',
  PROGRESS_DEADLINE_EXCEEDED: 'rollout',
  ROLLOUT_PAUSED: 'rollout',
  ROLLOUT_STUCK: 'rollout',
  POD_NOT_READY: 'rollout',
  SERVICE_NO_ENDPOINTS: 'rollout',
  UNRECOGNIZED_FAILURE: 'rollout',
  CRASH_LOOP: 'application',
  APP_MISSING_DEPENDENCY: 'application',
  APP_CONFIG_DNS_ERROR: 'application',
  APP_CONNECTION_REFUSED: 'application',
  APP_MIGRATION_FAILED: 'application',
  OOM_KILLED: 'application',
  READINESS_PROBE_FAILING: 'application',
  LIVENESS_PROBE_FAILING: 'application',
  STARTUP_PROBE_FAILING: 'application',
  PROBE_PORT_MISMATCH: 'application',
  MISSING_SECRET: 'application',
  MISSING_CONFIGMAP: 'application',
  MISSING_CONFIG_KEY: 'application',
  PVC_NOT_FOUND: 'application',
  INIT_CONTAINER_FAILING: 'application',
  CONTAINER_START_FAILED: 'application',
  SERVICE_SELECTOR_MISMATCH: 'application',
  POD_SECURITY_VIOLATION: 'application',
  INSUFFICIENT_RESOURCES: 'platform',
  NODE_SELECTOR_MISMATCH: 'platform',
  UNTOLERATED_TAINT: 'platform',
  UNSCHEDULABLE: 'platform',
  QUOTA_EXCEEDED: 'platform',
  LIMIT_RANGE_EXCEEDED: 'platform',
  PVC_UNBOUND: 'platform',
  ADMISSION_WEBHOOK_DENIED: 'platform',
  POD_CREATE_FAILED: 'platform',
};

/** The escalation part of the policy file, plus how long a resolved incident may be reopened. */
export interface IncidentTerms {
  pageImmediately: readonly Severity[];
  unansweredMinutes: number;
  reopenGraceMinutes: number;
}

/** Why a page was sent; shown in the thread and sent to PagerDuty as context. */
export type PageReason = 'severity' | 'unanswered' | 'fix-failed' | 'manual';

/** The level a root cause is routed to; no root cause yet goes to the first responders. */
export function levelFor(rootCause: FindingCode | undefined): EscalationLevel {
  return rootCause ? CATEGORY_LEVEL[FINDING_CATEGORY[rootCause]] : 'L1';
}

export function pagesImmediately(terms: IncidentTerms, severity: Severity): boolean {
  return terms.pageImmediately.includes(severity);
}

/** When nobody having acted since `since` means a page. */
export function unansweredDueAt(terms: IncidentTerms, since: Date): Date {
  return new Date(since.getTime() + terms.unansweredMinutes * 60_000);
}

export function graceEndsAt(terms: IncidentTerms, resolvedAt: Date): Date {
  return new Date(resolvedAt.getTime() + terms.reopenGraceMinutes * 60_000);
}

/** The level above `level`, for a manual escalation past the routed team; undefined at the top. */
export function levelAbove(level: EscalationLevel): EscalationLevel | undefined {
  return ESCALATION_LEVELS[ESCALATION_LEVELS.indexOf(level) + 1];
}
