import { z } from 'zod';

const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `expected an http(s) URL such as ${example}` });

/** Keys whose values must never be echoed in an error message. */
export const SECRET_ENV_KEYS = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'PAGERDUTY_ROUTING_KEY',
  'PAGERDUTY_API_TOKEN',
  'PAGERDUTY_WEBHOOK_SECRET',
  'ALERTMANAGER_TOKEN',
  // postgres://USER:PASSWORD@…
  'DATABASE_URL',
]);

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A duration in seconds, fractions allowed (tests shorten the election's timings), as milliseconds. */
const seconds = (fallback: number) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .default(String(fallback))
      .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0, 'expected a positive number of seconds, e.g. 15 or 0.5')
      .transform((v) => Math.round(Number(v) * 1000)),
  );

export const EnvSchema = z.object({
  SLACK_BOT_TOKEN: opt(z.string().regex(/^xoxb-/, 'expected a bot token starting with xoxb-')).describe('the bot\'s OAuth token (xoxb-…); required by serve'),
  SLACK_SIGNING_SECRET: opt(z.string().min(16, 'expected the app\'s signing secret (at least 16 characters)')).describe('the app\'s signing secret; required in HTTP mode (checks every request from Slack)'),
  SLACK_APP_TOKEN: opt(z.string().regex(/^xapp-/, 'expected an app-level token starting with xapp- (Socket Mode)')).describe('an app-level token (xapp-…, connections:write): Socket Mode instead of HTTP'),
  SLACK_API_URL: z.preprocess(blankToUndefined, httpUrl('https://slack.com/api/').default('https://slack.com/api/')).describe('Slack\'s Web API base URL (the playground and the tests point it at the Slack emulator)'),
  KUBECONFIG: opt(z.string()).describe('the kubeconfig file; unset: ~/.kube/config, or the in-cluster service account'),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(sqlite:\/\/.+|postgres(ql)?:\/\/.+)/, 'expected sqlite://PATH (e.g. sqlite://./data/deploy-medic.db; one replica) or postgres://USER:PASSWORD@HOST:PORT/DATABASE (several replicas)')
      .default('sqlite://./data/deploy-medic.db'),
  ).describe('the store: sqlite://PATH for one replica (the directory is created), or postgres://USER:PASSWORD@HOST:PORT/DB for several'),
  PAGERDUTY_ROUTING_KEY: opt(z.string().min(1)).describe('Events API v2 routing key for the levels escalation.routingKeys does not name'),
  PAGERDUTY_EVENTS_URL: z.preprocess(blankToUndefined, httpUrl('https://events.pagerduty.com').default('https://events.pagerduty.com')).describe('PagerDuty\'s Events API v2 base URL (HTTPS)'),
  PAGERDUTY_API_URL: z.preprocess(blankToUndefined, httpUrl('https://api.pagerduty.com').default('https://api.pagerduty.com')).describe('PagerDuty\'s REST API base URL: who is on call, a note\'s incident'),
  PAGERDUTY_API_TOKEN: opt(z.string().min(1)).describe('a REST API token (read-only is enough); unset: on-call is not shown'),
  PAGERDUTY_WEBHOOK_SECRET: opt(z.string().min(1)).describe('the webhook v3 signing secret: POST /webhooks/pagerduty checks X-PagerDuty-Signature with it'),
  PAGERDUTY_CA_FILE: opt(z.string()).describe('a PEM bundle to trust for PagerDuty (a proxy, or the emulator)'),
  ALERTMANAGER_TOKEN: opt(z.string().min(16, 'expected a bearer token of at least 16 characters')).describe('the bearer token POST /webhooks/alertmanager requires (Alertmanager\'s http_config.authorization)'),
  PORT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('3000')
      .refine((v) => /^\d{1,5}$/.test(v) && Number(v) <= 65535, 'expected a TCP port number (0-65535; 0 picks a free port)')
      .transform(Number),
  ).describe('HTTP port for /slack/events, the webhooks, /healthz, /readyz and /metrics (0 picks a free one)'),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ).describe('log level; logs are JSON lines, secrets redacted'),
  DEPLOY_MEDIC_CONFIG: opt(z.string()).describe('path of the policy file (YAML, below); unset: anyone may read, no one may act'),
  LEADER_ELECTION: opt(z.enum(['on', 'off'])).describe('on or off; default on with PostgreSQL, off with SQLite (the one replica leads)'),
  LEADER_ELECTION_NAMESPACE: opt(z.string().regex(DNS_LABEL, 'expected a namespace name (lower-case letters, digits and "-")')).describe('where the Lease lives; unset: POD_NAMESPACE, else the kubeconfig context\'s namespace'),
  LEADER_ELECTION_LEASE_NAME: z.preprocess(blankToUndefined, z.string().regex(DNS_SUBDOMAIN, 'expected a Lease name (lower-case letters, digits, "-" and ".")').default('deploy-medic')).describe('the coordination.k8s.io/v1 Lease the replicas contend for'),
  LEADER_ELECTION_LEASE_DURATION: seconds(15).describe('seconds a lease lasts without renewal (client-go: 15)'),
  LEADER_ELECTION_RENEW_DEADLINE: seconds(10).describe('seconds a leader keeps trying to renew before it stops its leader work (client-go: 10)'),
  LEADER_ELECTION_RETRY_PERIOD: seconds(2).describe('seconds between attempts to acquire or renew (client-go: 2)'),
  POD_NAME: opt(z.string()).describe('the Lease holder\'s identity (downward API metadata.name); unset: the host name and a random suffix'),
  POD_NAMESPACE: opt(z.string().regex(DNS_LABEL, 'expected a namespace name (lower-case letters, digits and "-")')).describe('the pod\'s namespace (downward API metadata.namespace)'),
  NO_COLOR: opt(z.string()).describe('any value turns colour off in the CLI (https://no-color.org)'),
});

export type Env = z.infer<typeof EnvSchema>;
