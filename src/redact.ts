/**
 * Secret scrubbing for free text (pod logs, error messages) before it reaches
 * Slack or the logs. Structured fields are redacted by path in log.ts.
 */
const MASK = '[REDACTED]';

// key=value / key: value pairs whose key names a secret; the value runs to the next space, quote, comma or ampersand.
const PAIR = /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_.-]*)(\s*[=:]\s*)("?)([^\s"',&;]+)/gi;
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${MASK}`],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, MASK], // Slack tokens
  [/\bxapp-[A-Za-z0-9-]{10,}/g, MASK],
  [/\bAKIA[0-9A-Z]{16}\b/g, MASK], // AWS access key id
  [/\b(eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})/g, MASK], // JWTs
  [/(:\/\/[^:/\s@]+:)([^@\s/]+)(@)/g, `$1${MASK}$3`], // user:password@ in URLs
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, MASK],
];

export function redactText(text: string): string {
  let out = text.replace(PAIR, (_m, key: string, sep: string, quote: string) => `${key}${sep}${quote}${MASK}`);
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Object paths pino must censor wherever they appear in a log record. */
export const REDACT_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  '*.headers.cookie',
  'routingKey',
  '*.routingKey',
  'signingSecret',
  '*.signingSecret',
  // Secret objects: never log their data
  'data',
  '*.data',
  'stringData',
  '*.stringData',
];

export const REDACTION_MASK = MASK;
