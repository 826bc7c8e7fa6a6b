/**
 * The one error type of Deploy Medic. Every boundary (CLI, Slack listener,
 * HTTP route, watcher) converts unknown errors with `toMedicError`, and
 * `userMessage` is the only place codes become user-facing text.
 */
export type ErrorCode =
  | 'CONFIG_INVALID' // environment or policy file rejected at start-up
  | 'USAGE' // bad command-line or slash-command input
  | 'NOT_FOUND' // the deployment, namespace, revision ... does not exist
  | 'FORBIDDEN' // the cluster or the policy refused the caller
  | 'CONFLICT' // the object changed under us (resourceVersion)
  | 'CLUSTER_UNREACHABLE' // no connection to the Kubernetes API
  | 'KUBE_API' // the Kubernetes API answered with an unexpected error
  | 'REGISTRY' // the image registry failed in a way we could not classify
  | 'SLACK_API' // Slack Web API failure
  | 'PAGER_API' // PagerDuty failure
  | 'STORE' // the database cannot be opened, migrated or written
  | 'TIMEOUT'
  | 'INTERNAL';

export class MedicError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MedicError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

export const isMedicError = (e: unknown): e is MedicError => e instanceof MedicError;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** The errno-style code of a Node or undici error, looking through `cause` chains. */
export function networkErrorCode(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function toMedicError(e: unknown, fallback: ErrorCode = 'INTERNAL'): MedicError {
  if (e instanceof MedicError) return e;
  if (networkErrorCode(e)) return new MedicError('CLUSTER_UNREACHABLE', describe(e), { cause: e });
  if (e instanceof Error && e.name === 'AbortError') return new MedicError('TIMEOUT', e.message, { cause: e });
  return new MedicError(fallback, describe(e), { cause: e });
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = networkErrorCode(e);
    return code && !e.message.includes(code) ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}

const HEADLINES: Record<ErrorCode, string> = {
  CONFIG_INVALID: 'Configuration error',
  USAGE: 'Usage error',
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Not allowed',
  CONFLICT: 'The object changed meanwhile; try again',
  CLUSTER_UNREACHABLE: 'Cannot reach the Kubernetes API',
  KUBE_API: 'The Kubernetes API returned an error',
  REGISTRY: 'Image registry error',
  SLACK_API: 'Slack API error',
  PAGER_API: 'PagerDuty error',
  STORE: 'Database error',
  TIMEOUT: 'Timed out',
  INTERNAL: 'Internal error',
};

/** One line for a human: the code's headline and the specific message. */
export function userMessage(e: MedicError): string {
  return `${HEADLINES[e.code]}: ${e.message}`;
}

/** CLI exit codes from DESIGN.md: 2 for usage, configuration and connection errors. */
export const EXIT = { ok: 0, failing: 1, error: 2 } as const;
