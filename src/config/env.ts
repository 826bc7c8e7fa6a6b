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
  SLACK_BOT_TOKEN: opt(z.string().regex(/^xoxb-/, 'expected a bot token starting with xoxb-')),
  SLACK_SIGNING_SECRET: opt(z.string().min(16, 'expected the app\'s signing secret (at least 16 characters)')),
  SLACK_APP_TOKEN: opt(z.string().regex(/^xapp-/, 'expected an app-level token starting with xapp- (Socket Mode)')),
  SLACK_API_URL: z.preprocess(blankToUndefined, httpUrl('https://slack.com/api/').default('https://slack.com/api/')),
  KUBECONFIG: opt(z.string()),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z
      .string()
      .regex(/^(sqlite:\/\/.+|postgres(ql)?:\/\/.+)/, 'expected sqlite://PATH (e.g. sqlite://./data/deploy-medic.db; one replica) or postgres://USER:PASSWORD@HOST:PORT/DATABASE (several replicas)')
      .default('sqlite://./data/deploy-medic.db'),
  ),
  PAGERDUTY_ROUTING_KEY: opt(z.string().min(1)),
  PAGERDUTY_EVENTS_URL: z.preprocess(blankToUndefined, httpUrl('https://events.pagerduty.com').default('https://events.pagerduty.com')),
  PAGERDUTY_API_URL: z.preprocess(blankToUndefined, httpUrl('https://api.pagerduty.com').default('https://api.pagerduty.com')),
  PAGERDUTY_API_TOKEN: opt(z.string().min(1)),
  PAGERDUTY_WEBHOOK_SECRET: opt(z.string().min(1)),
  PAGERDUTY_CA_FILE: opt(z.string()),
  ALERTMANAGER_TOKEN: opt(z.string().min(16, 'expected a bearer token of at least 16 characters')),
  PORT: z.preprocess(
    blankToUndefined,
    z
      .string()
      .default('3000')
      .refine((v) => /^\d{1,5}$/.test(v) && Number(v) <= 65535, 'expected a TCP port number (0-65535; 0 picks a free port)')
      .transform(Number),
  ),
  LOG_LEVEL: z.preprocess(
    blankToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  DEPLOY_MEDIC_CONFIG: opt(z.string()),
  /** Leader election on a coordination.k8s.io Lease (several replicas): default on with PostgreSQL, off with SQLite. */
  LEADER_ELECTION: opt(z.enum(['on', 'off'])),
  LEADER_ELECTION_NAMESPACE: opt(z.string().regex(DNS_LABEL, 'expected a namespace name (lower-case letters, digits and "-")')),
  LEADER_ELECTION_LEASE_NAME: z.preprocess(blankToUndefined, z.string().regex(DNS_SUBDOMAIN, 'expected a Lease name (lower-case letters, digits, "-" and ".")').default('deploy-medic')),
  LEADER_ELECTION_LEASE_DURATION: seconds(15),
  LEADER_ELECTION_RENEW_DEADLINE: seconds(10),
  LEADER_ELECTION_RETRY_PERIOD: seconds(2),
  /** The downward API's metadata.name and metadata.namespace: the Lease holder's identity, and where its Lease lives. */
  POD_NAME: opt(z.string()),
  POD_NAMESPACE: opt(z.string().regex(DNS_LABEL, 'expected a namespace name (lower-case letters, digits and "-")')),
  /** https://no-color.org: any value turns colour off. */
  NO_COLOR: opt(z.string()),
});

export type Env = z.infer<typeof EnvSchema>;
