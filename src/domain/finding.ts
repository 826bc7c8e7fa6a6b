import { kubectlFor, type ActionKind, type ActionRequest, type ProbeKind } from './actions/index.js';

/**
 * Findings: what a diagnosis says is wrong, as stable codes (DESIGN.md:
 * never renamed), severities, evidence and proposed fixes.
 */
export const FINDING_CODES = [
  'IMAGE_TAG_NOT_FOUND',
  'IMAGE_REPOSITORY_NOT_FOUND',
  'IMAGE_PULL_UNAUTHORIZED',
  'REGISTRY_UNREACHABLE',
  'INVALID_IMAGE_NAME',
  'CRASH_LOOP',
  'APP_MISSING_DEPENDENCY',
  'APP_CONFIG_DNS_ERROR',
  'APP_CONNECTION_REFUSED',
  'APP_MIGRATION_FAILED',
  'OOM_KILLED',
  'READINESS_PROBE_FAILING',
  'LIVENESS_PROBE_FAILING',
  'PROBE_PORT_MISMATCH',
  'MISSING_SECRET',
  'MISSING_CONFIGMAP',
  'MISSING_CONFIG_KEY',
  'INSUFFICIENT_RESOURCES',
  'NODE_SELECTOR_MISMATCH',
  'QUOTA_EXCEEDED',
  'PROGRESS_DEADLINE_EXCEEDED',
  'ROLLOUT_PAUSED',
  'ROLLOUT_STUCK',
  'SERVICE_NO_ENDPOINTS',
  // Added with the "never silent" diagnosis (issue 8).
  'IMAGE_PULL_FAILED',
  'UNTOLERATED_TAINT',
  'UNSCHEDULABLE',
  'PVC_NOT_FOUND',
  'PVC_UNBOUND',
  'INIT_CONTAINER_FAILING',
  'LIMIT_RANGE_EXCEEDED',
  'POD_SECURITY_VIOLATION',
  'ADMISSION_WEBHOOK_DENIED',
  'POD_CREATE_FAILED',
  'CONTAINER_START_FAILED',
  'STARTUP_PROBE_FAILING',
  'SERVICE_SELECTOR_MISMATCH',
  'POD_NOT_READY',
  'UNRECOGNIZED_FAILURE',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = 'critical' | 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

export interface Evidence {
  /** Where it was seen: an event, a log line, a status field, the spec, the registry, a node, a quota, a service. */
  kind: 'event' | 'log' | 'status' | 'condition' | 'spec' | 'registry' | 'node' | 'quota' | 'service';
  /** The object it belongs to, e.g. "pod/api-server-6dc5b6999b-tgcw8". */
  name: string;
  detail: string;
}

/** A remedy the bot can propose as a button (or, for `manual`, explain). */
export type Fix =
  | { kind: 'rollback'; title: string; toRevision: number }
  | { kind: 'set-image'; title: string; container: string; image: string }
  | { kind: 'set-memory-limit'; title: string; container: string; memory: string }
  | { kind: 'set-probe'; title: string; container: string; probe: ProbeKind; port?: number; initialDelaySeconds?: number }
  | { kind: 'resume'; title: string }
  | { kind: 'restart'; title: string }
  | { kind: 'manual'; title: string; command?: string };

/** The fixes the bot carries out itself: each is an action request with a title. */
export type ActionFix = Extract<Fix, { kind: ActionKind }>;

export function isActionFix(fix: Fix): fix is ActionFix {
  return fix.kind !== 'manual';
}

/** The action a fix asks for (the type checks that every action fix is one). */
export function fixRequest(fix: ActionFix): ActionRequest {
  const { title: _title, ...request } = fix;
  return request;
}

/** The command an operator would run by hand for a fix. */
export function fixCommand(fix: Fix, d: { namespace: string; name: string }): string | undefined {
  return isActionFix(fix) ? kubectlFor(fixRequest(fix), d) : fix.command;
}

export interface Finding {
  code: FindingCode;
  severity: Severity;
  title: string;
  summary: string;
  evidence: Evidence[];
  fixes: Fix[];
  /** Pods this finding is about, sorted; the summary counts them ("3 pods"). */
  pods: string[];
}

/** Caps evidence so a finding about 300 pods stays readable; the summary carries the count. */
export const MAX_EVIDENCE = 5;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
