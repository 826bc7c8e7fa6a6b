import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { MedicError } from './errors.js';
import { EnvSchema, SECRET_ENV_KEYS, type Env } from './config/env.js';
import { PolicySchema, type Policy } from './config/policy.js';
import { describeIssues } from './config/issues.js';

export type { Policy };

export interface Config {
  slack: { botToken?: string; signingSecret?: string; appToken?: string; apiUrl: string };
  kube: { kubeconfig?: string };
  /** sqlite://PATH (one replica) or postgres://… (several). */
  databaseUrl: string;
  leaderElection: LeaderElectionConfig;
  pagerduty: {
    routingKey?: string;
    eventsUrl: string;
    apiUrl: string;
    apiToken?: string;
    webhookSecret?: string;
    caFile?: string;
  };
  alertmanagerToken?: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  policy: Policy;
  policyPath?: string;
  noColor: boolean;
}

/** Who runs the leader work (watcher, timers, outbox) among replicas: client-go's LeaseLock timings, in ms. */
export interface LeaderElectionConfig {
  enabled: boolean;
  /** Where the Lease lives; unset: the kubeconfig context's namespace (in a pod: its own). */
  namespace?: string;
  leaseName: string;
  /** The holder identity: the pod name (POD_NAME); unset, the host name with a random suffix. */
  identity?: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** What the command about to run needs; `serve` needs Slack credentials, the CLI does not. */
export type ConfigMode = 'serve' | 'cli';

/**
 * The only reader of process.env and of the policy file. A bad value stops
 * start-up with one MedicError listing every problem found.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  mode: ConfigMode = 'cli',
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Config {
  const parsed = EnvSchema.safeParse(env, { reportInput: true });
  if (!parsed.success) {
    fail('environment', describeIssues(parsed.error.issues, { secretKeys: SECRET_ENV_KEYS }));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (mode === 'serve') {
    if (!e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: required to serve Slack (expected a bot token starting with xoxb-)');
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      problems.push('SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
    }
  }
  const election = e.LEADER_ELECTION_LEASE_DURATION > e.LEADER_ELECTION_RENEW_DEADLINE && e.LEADER_ELECTION_RENEW_DEADLINE > 1.2 * e.LEADER_ELECTION_RETRY_PERIOD;
  if (!election) {
    problems.push('LEADER_ELECTION_LEASE_DURATION, LEADER_ELECTION_RENEW_DEADLINE, LEADER_ELECTION_RETRY_PERIOD: expected lease duration > renew deadline > 1.2 × retry period (defaults 15, 10, 2 seconds)');
  }
  if (problems.length) fail('environment', problems);

  const policy = e.DEPLOY_MEDIC_CONFIG ? loadPolicy(e.DEPLOY_MEDIC_CONFIG, readFile) : PolicySchema.parse({});
  return {
    slack: { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL },
    kube: { kubeconfig: e.KUBECONFIG },
    databaseUrl: e.DATABASE_URL,
    leaderElection: {
      // One SQLite file serves one replica: nothing to elect unless asked.
      enabled: (e.LEADER_ELECTION ?? (e.DATABASE_URL.startsWith('sqlite://') ? 'off' : 'on')) === 'on',
      namespace: e.LEADER_ELECTION_NAMESPACE ?? e.POD_NAMESPACE,
      leaseName: e.LEADER_ELECTION_LEASE_NAME,
      identity: e.POD_NAME,
      leaseDurationMs: e.LEADER_ELECTION_LEASE_DURATION,
      renewDeadlineMs: e.LEADER_ELECTION_RENEW_DEADLINE,
      retryPeriodMs: e.LEADER_ELECTION_RETRY_PERIOD,
    },
    pagerduty: {
      routingKey: e.PAGERDUTY_ROUTING_KEY,
      eventsUrl: e.PAGERDUTY_EVENTS_URL,
      apiUrl: e.PAGERDUTY_API_URL,
      apiToken: e.PAGERDUTY_API_TOKEN,
      webhookSecret: e.PAGERDUTY_WEBHOOK_SECRET,
      caFile: e.PAGERDUTY_CA_FILE,
    },
    alertmanagerToken: e.ALERTMANAGER_TOKEN,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    policy,
    policyPath: e.DEPLOY_MEDIC_CONFIG,
    noColor: e.NO_COLOR !== undefined,
  };
}

export function loadPolicy(path: string, readFile: (path: string) => string): Policy {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    fail(`policy file ${path}`, [`DEPLOY_MEDIC_CONFIG: cannot read the file (${code ?? (err as Error).message})`]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    fail(`policy file ${path}`, doc.errors.map((er) => `invalid YAML: ${er.message.split('\n')[0]}`));
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = PolicySchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    fail(
      `policy file ${path}`,
      describeIssues(parsed.error.issues, { acceptedKeys: (p) => acceptedKeys(PolicySchema, p) }),
    );
  }
  return parsed.data;
}

function fail(source: string, lines: string[]): never {
  throw new MedicError('CONFIG_INVALID', `invalid ${source}:\n  ${lines.join('\n  ')}`, { details: { problems: lines } });
}

/** The keys an object schema accepts at `path`, for "unknown key" messages. */
function acceptedKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let cur: z.core.$ZodType | undefined = unwrap(schema);
  for (const p of path) {
    if (!cur) return [];
    const def = cur._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType };
    cur = unwrap(typeof p === 'number' ? def.element : def.shape?.[String(p)]);
  }
  const def = cur?._zod.def as { shape?: Record<string, unknown> } | undefined;
  return def?.shape ? Object.keys(def.shape) : [];
}

function unwrap(s: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  while (s) {
    const def = s._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    if (def.innerType) s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else return s;
  }
  return s;
}
