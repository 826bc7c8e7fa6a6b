import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { MedicError } from './errors.js';

const files = (content: Record<string, string>) => (path: string) => {
  const text = content[path];
  if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return text;
};

function configError(fn: () => unknown): MedicError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MedicError);
    expect((e as MedicError).code).toBe('CONFIG_INVALID');
    return e as MedicError;
  }
  throw new Error('expected a configuration error');
}

const serveEnv = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'a'.repeat(32) };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({}, 'cli');
    expect(c.slack.apiUrl).toBe('https://slack.com/api/');
    expect(c.databaseUrl).toBe('sqlite://./data/deploy-medic.db');
    expect(c.port).toBe(3000);
    expect(c.policy.access).toEqual({ readers: ['*'], operators: [], approvers: [] });
    expect(c.policy.approvals).toEqual({ protectedNamespaces: [], required: 1, ttlMinutes: 15, settleSeconds: 60 });
  });

  it('reports a missing token for serve, naming the key and the expected form', () => {
    const e = configError(() => loadConfig({ SLACK_SIGNING_SECRET: 'a'.repeat(32) }, 'serve'));
    expect(e.message).toContain('SLACK_BOT_TOKEN: required to serve Slack (expected a bot token starting with xoxb-)');
  });

  it('accepts Socket Mode without a signing secret', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-abc' }, 'serve');
    expect(c.slack.appToken).toBe('xapp-1-abc');
  });

  it('never echoes a secret value it rejects', () => {
    const e = configError(() => loadConfig({ ...serveEnv, SLACK_BOT_TOKEN: 'xoxp-user-token-secret' }, 'serve'));
    expect(e.message).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(e.message).not.toContain('xoxp-user-token-secret');
  });

  it('rejects a malformed URL and says what is accepted', () => {
    const e = configError(() => loadConfig({ SLACK_API_URL: 'htp:/slack' }));
    expect(e.message).toContain('SLACK_API_URL: expected an http(s) URL such as https://slack.com/api/, got "htp:/slack"');
  });

  it('rejects a port of the wrong type', () => {
    const e = configError(() => loadConfig({ PORT: 'eighty' }));
    expect(e.message).toMatch(/PORT: expected a TCP port number \(0-65535; 0 picks a free port\)/);
    expect(configError(() => loadConfig({ PORT: '70000' })).message).toContain('PORT: expected a TCP port number');
  });

  it('rejects an unknown log level with the accepted values', () => {
    const e = configError(() => loadConfig({ LOG_LEVEL: 'verbose' }));
    expect(e.message).toContain('LOG_LEVEL: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "verbose"');
  });

  it('rejects a DATABASE_URL that is neither sqlite:// nor postgres://, without echoing it', () => {
    const e = configError(() => loadConfig({ DATABASE_URL: 'mysql://medic:hunter2@db/x' }));
    expect(e.message).toContain('DATABASE_URL: expected sqlite://PATH (e.g. sqlite://./data/deploy-medic.db; one replica) or postgres://USER:PASSWORD@HOST:PORT/DATABASE');
    expect(e.message).not.toContain('hunter2');
  });

  it('elects a leader by default with PostgreSQL, not with SQLite; client-go\'s timings unless shortened', () => {
    expect(loadConfig({}).leaderElection).toEqual({ enabled: false, leaseName: 'deploy-medic', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 });
    const pg = loadConfig({ DATABASE_URL: 'postgres://medic@db:5432/medic', POD_NAME: 'deploy-medic-7d9f-x2k4q', POD_NAMESPACE: 'ops' }).leaderElection;
    expect(pg).toMatchObject({ enabled: true, identity: 'deploy-medic-7d9f-x2k4q', namespace: 'ops' });
    expect(loadConfig({ LEADER_ELECTION: 'on', LEADER_ELECTION_LEASE_DURATION: '1.5', LEADER_ELECTION_RENEW_DEADLINE: '1', LEADER_ELECTION_RETRY_PERIOD: '0.25' }).leaderElection).toMatchObject({
      enabled: true,
      leaseDurationMs: 1_500,
      renewDeadlineMs: 1_000,
      retryPeriodMs: 250,
    });
  });

  it('rejects election timings a leader could not keep its lease with', () => {
    const e = configError(() => loadConfig({ LEADER_ELECTION_LEASE_DURATION: '10', LEADER_ELECTION_RENEW_DEADLINE: '10' }));
    expect(e.message).toContain('expected lease duration > renew deadline > 1.2 × retry period (defaults 15, 10, 2 seconds)');
    expect(configError(() => loadConfig({ LEADER_ELECTION_RETRY_PERIOD: 'soon' })).message).toContain('LEADER_ELECTION_RETRY_PERIOD: expected a positive number of seconds');
    expect(configError(() => loadConfig({ LEADER_ELECTION: 'yes' })).message).toContain('LEADER_ELECTION: expected one of "on", "off", got "yes"');
  });
});

describe('policy file', () => {
  const env = { DEPLOY_MEDIC_CONFIG: '/etc/medic.yaml' };

  it('loads the documented example', () => {
    const yaml = `
clusters:
  - {name: prod, context: prod-admin}
channels:
  - {channel: C0PROD, cluster: prod, namespaces: [production]}
access:
  readers: ["*"]
  operators: [U0ALICE]
  approvers: [U0BOB, S0LEADS]
approvals:
  protectedNamespaces: [production]
  required: 1
  ttlMinutes: 15
incidents:
  channel: C0INCIDENTS
  watchNamespaces: [production]
escalation:
  routingKeys: {L1: "r1", L2: "r2", L3: "r3"}
  pageImmediately: [critical]
  unansweredMinutes: 10
`;
    const c = loadConfig(env, 'cli', files({ '/etc/medic.yaml': yaml }));
    expect(c.policy.channels[0]).toEqual({ channel: 'C0PROD', cluster: 'prod', namespaces: ['production'] });
    expect(c.policy.access.approvers).toEqual(['U0BOB', 'S0LEADS']);
    expect(c.policy.escalation.routingKeys.L2).toBe('r2');
  });

  it('names an unknown key and lists the accepted ones', () => {
    const e = configError(() => loadConfig(env, 'cli', files({ '/etc/medic.yaml': 'approvals:\n  ttlMinute: 5\n' })));
    expect(e.message).toContain('approvals.ttlMinute: unknown key (accepted here: protectedNamespaces, required, ttlMinutes, settleSeconds)');
  });

  it('names a value of the wrong type', () => {
    const e = configError(() => loadConfig(env, 'cli', files({ '/etc/medic.yaml': 'approvals:\n  ttlMinutes: "15m"\n' })));
    expect(e.message).toContain('approvals.ttlMinutes: expected number, got "15m"');
  });

  it('explains malformed Slack IDs', () => {
    const e = configError(() => loadConfig(env, 'cli', files({ '/etc/medic.yaml': 'access:\n  operators: [alice]\n' })));
    expect(e.message).toContain('access.operators[0]: expected a Slack user ID (U…/W…), user group ID (S…) or "*", got "alice"');
  });

  it('reports bad YAML with its position', () => {
    const e = configError(() => loadConfig(env, 'cli', files({ '/etc/medic.yaml': 'access:\n  readers: [a, b\n' })));
    expect(e.message).toMatch(/policy file \/etc\/medic.yaml:\n {2}invalid YAML: .*line \d+/);
  });

  it('reports an unreadable file', () => {
    const e = configError(() => loadConfig(env, 'cli', files({})));
    expect(e.message).toContain('DEPLOY_MEDIC_CONFIG: cannot read the file (ENOENT)');
  });

  it('rejects a channel bound to an unknown cluster', () => {
    const yaml = 'clusters: [{name: prod, context: c}]\nchannels: [{channel: C01, cluster: staging, namespaces: [web]}]\n';
    const e = configError(() => loadConfig(env, 'cli', files({ '/etc/medic.yaml': yaml })));
    expect(e.message).toContain('channels[0].cluster: unknown cluster "staging"; expected one of: prod');
  });
});
