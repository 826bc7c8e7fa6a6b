import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, crashLoop, livenessKilled, oomKilled, running, type PodState } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeCrashes } from './crash.js';
import { analyzeDeployment } from './index.js';

function ordersApi(state: PodState, pods = 1) {
  return new SnapshotBuilder('orders-api')
    .base((c) => void (c.env = [{ name: 'DATABASE_HOST', value: 'database.production.svc.cluster.local' }]))
    .change((c) => void (c.env = [{ name: 'DATABASE_HOST', value: 'database-new.production.svc.cluster.local' }]))
    .readyPods(1, 3)
    .newPods(pods, state)
    .build();
}

const DNS_LOG = ['Connecting to database database-new.production.svc.cluster.local:5432', 'Fatal error: Database connection failed', 'Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local'];

describe('analyzeCrashes', () => {
  it('reports the cause from the log, the crash loop, and their evidence', () => {
    const findings = analyzeCrashes(ordersApi(crashLoop(DNS_LOG)));
    expect(findings.map((f) => f.code)).toEqual(['APP_CONFIG_DNS_ERROR', 'CRASH_LOOP']);
    const [dns] = findings;
    expect(dns!.summary).toContain('"Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local"');
    expect(dns!.summary).toContain('DATABASE_HOST points at database-new.production.svc.cluster.local; in revision 1 it was database.production.svc.cluster.local.');
    expect(dns!.evidence.map((e) => e.kind)).toEqual(['log', 'status', 'event']);
    expect(dns!.evidence[0]!.detail).toBe(DNS_LOG.slice(1).join('\n'));
    expect(dns!.evidence[1]!.detail).toContain('7 restarts, last exit code 1 (Error)');
    expect(dns!.evidence[2]!.detail).toMatch(/^Warning BackOff: Back-off restarting failed container orders-api in pod orders-api-/);
    expect(dns!.fixes).toEqual([{ kind: 'rollback', title: 'Roll back to revision 1 (orders-api:v1.0.0)', toRevision: 1 }]);
  });

  it('reports a plain crash with the exception line', () => {
    const [f] = analyzeCrashes(ordersApi(crashLoop(['Exception in thread "main" java.lang.IllegalStateException: no tax table', '\tat com.acme.Main.main(Main.java:3)'])));
    expect(f!.code).toBe('CRASH_LOOP');
    expect(f!.summary).toContain('The log shows: "Exception in thread "main" java.lang.IllegalStateException: no tax table"');
  });

  it('does not blame the log of a container the kernel or a probe killed', () => {
    const oom = analyzeCrashes(ordersApi((p) => (oomKilled()(p), p.log(['Error: connect ECONNREFUSED 10.0.0.1:5432'], true))));
    expect(oom.map((f) => f.code)).toEqual(['CRASH_LOOP']);
    expect(oom[0]!.title).toContain('exit code 137, OOMKilled');
    const probe = analyzeCrashes(ordersApi(livenessKilled((ip) => `dial tcp ${ip}:8080: connect: connection refused`, ['Error: connect ECONNREFUSED 10.0.0.1:5432'])));
    expect(probe.map((f) => f.code)).toEqual(['CRASH_LOOP']);
  });

  it('ignores a ready container that once restarted', () => {
    const recovered: PodState = (p) => {
      running()(p);
      p.status({ restartCount: 1, lastState: { terminated: { exitCode: 255, reason: 'Unknown', startedAt: '2026-11-20T10:00:00Z', finishedAt: '2026-11-20T11:00:00Z' } } });
    };
    expect(analyzeCrashes(ordersApi(recovered))).toEqual([]);
  });

  it('aggregates pods and names the env vars a revision changed, never their values', () => {
    const s = new SnapshotBuilder('inventory')
      .base((c) => void (c.env = [{ name: 'REDIS_URL', value: 'redis://:old-s3cret@redis-primary:6379/0' }]))
      .change((c) => void (c.env = [{ name: 'REDIS_URL', value: 'redis://:n3w-s3cret@cache:6379/0' }]))
      .readyPods(1, 3)
      .newPods(3, crashLoop(['[ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.96.14.7:6379']))
      .build();
    const [f] = analyzeCrashes(s);
    expect(f!.code).toBe('APP_CONNECTION_REFUSED');
    expect(f!.pods).toHaveLength(3);
    expect(f!.summary).toContain('on 3 pods');
    expect(f!.summary).toContain('This revision changed REDIS_URL (since revision 1).');
    expect(JSON.stringify(s)).toContain('s3cret');
    expect(JSON.stringify(analyzeDeployment(s))).not.toContain('s3cret');
  });

  it('never re-introduces a secret: log lines are quoted as the collector redacted them, env values are not quoted', () => {
    const redacted = 'FATAL: password authentication failed for user "app" (password=[REDACTED])';
    const s = new SnapshotBuilder('billing')
      .base((c) => void (c.env = [{ name: 'DATABASE_URL', value: 'postgres://app:hunter2@db:5432/billing' }]))
      .change((c) => void (c.env = [{ name: 'DATABASE_URL', value: 'postgres://app:hunter2@db-new:5432/billing' }, { name: 'DB_PASSWORD', value: 'hunter2' }]))
      .readyPods(1, 3)
      .newPods(2, crashLoop(['Connecting to postgres://app:[REDACTED]@db-new:5432/billing', redacted, 'Error: getaddrinfo ENOTFOUND db-new']))
      .build();
    const text = JSON.stringify(analyzeDeployment(s));
    expect(text).not.toContain('hunter2');
    expect(text).toContain(JSON.stringify(redacted).slice(1, -1));
  });
});
