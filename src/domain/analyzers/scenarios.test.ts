import type { Container } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../sim/kube/catalog/scenarios.js';
import type { DeploymentSnapshot } from '../snapshot.js';
import {
  SnapshotBuilder,
  configError,
  crashLoop,
  invalidImageName,
  livenessKilled,
  notReady,
  oomKilled,
  pullFailure,
  unschedulable,
  shuffled,
  type PodState,
} from '../../../test/fixtures/snapshot-builder.js';
import { FAMILY_SNAPSHOTS } from '../../../test/fixtures/family-snapshots.js';
import { analyzeDeployment } from './index.js';

/**
 * Every scenario of the simulator's catalog, rebuilt as the snapshot a
 * collector would read after its failing revision has had ten minutes.
 */
const REG = 'registry.example.com';
const daemon = (m: string) => `rpc error: code = Unknown desc = Error response from daemon: ${m}`;
const refused = (port: number) => (ip: string) => `Get "http://${ip}:${port}/healthz": dial tcp ${ip}:${port}: connect: connection refused`;
const setImage = (image: string) => (c: Container) => {
  c.image = image;
};
const env = (c: Container, name: string, value: string) => {
  c.env = [...(c.env ?? []).filter((e) => e.name !== name), { name, value }];
};

/** A rollout stuck on revision 2 of `name`: three old pods serve, the new one is in `state`. */
function failing(name: string, tag: string, change: Parameters<SnapshotBuilder['change']>[0], state: PodState, opts: { namespace?: string; base?: Parameters<SnapshotBuilder['base']>[0] } = {}) {
  const b = new SnapshotBuilder(name, { namespace: opts.namespace, image: `${REG}/${name}:${tag}` });
  if (opts.base) b.base(opts.base);
  return b.change(change).deadlineExceeded().readyPods(1, 3).newPods(1, state);
}

const quotaMessage = (quota: string, req: string, used: string, limit: string) => (pod: string) =>
  `pods "${pod}" is forbidden: exceeded quota: ${quota}, requested: ${req}, used: ${used}, limited: ${limit}`;

const SNAPSHOTS: Record<string, () => DeploymentSnapshot> = {
  healthy: () => new SnapshotBuilder('web-frontend', { image: `${REG}/web-frontend:v1.4.0` }).change(setImage(`${REG}/web-frontend:v1.4.1`), 3).complete().readyPods(2, 3).build(),
  'image-tag-not-found': () =>
    failing('api-server', 'v2.0.0', setImage(`${REG}/api-server:v2.0.1`), pullFailure(daemon(`manifest for ${REG}/api-server:v2.0.1 not found: manifest unknown: manifest unknown`)))
      .registry({ image: `${REG}/api-server:v2.0.1`, status: 'tag-not-found', detail: 'manifest unknown', httpStatus: 404, nearestTags: ['v2.1.0', 'v2.0.0'] })
      .build(),
  'image-repository-not-found': () =>
    failing('search-indexer', 'v3.1.0', setImage(`${REG}/search-indexr:v3.2.0`), pullFailure(daemon(`pull access denied for ${REG}/search-indexr, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`))).build(),
  'image-pull-unauthorized': () =>
    failing(
      'billing-worker',
      'v5.0.0',
      (c, spec) => {
        c.image = `${REG}/private/billing-worker:v5.1.0`;
        spec.imagePullSecrets = [{ name: 'regcred-rotated' }];
      },
      pullFailure(daemon(`Head "https://${REG}/v2/private/billing-worker/manifests/v5.1.0": unauthorized: authentication required`)),
      { base: (_c, spec) => void (spec.imagePullSecrets = [{ name: 'regcred' }]) },
    ).build(),
  'invalid-image-name': () => failing('notification-service', 'v1.1.0', setImage(`${REG}/Notification-Service:v1.2.0`), invalidImageName('invalid reference format: repository name must be lowercase')).build(),
  'registry-unreachable': () =>
    failing('report-generator', 'v4.0.0', setImage('registry.internal.invalid/report-generator:v4.0.0'), pullFailure(daemon('Get "https://registry.internal.invalid/v2/": dial tcp: lookup registry.internal.invalid on 10.96.0.10:53: no such host')))
      .registry({ image: 'registry.internal.invalid/report-generator:v4.0.0', status: 'unreachable', detail: 'lookup registry.internal.invalid: no such host' })
      .build(),
  'crash-missing-module': () =>
    failing('checkout', 'v2.0.0', setImage(`${REG}/checkout:v2.0.1`), crashLoop(['node:internal/modules/cjs/loader:1143', '  throw err;', '  ^', '', "Error: Cannot find module 'missing-dependency'", 'Require stack:', '- /app/src/payments/client.js', 'Node.js v20.11.1'])).build(),
  'crash-config-dns': () =>
    failing('orders-api', 'v3.4.0', (c) => env(c, 'DATABASE_HOST', 'database-new.production.svc.cluster.local'), crashLoop(['Connecting to database database-new.production.svc.cluster.local:5432', 'Fatal error: Database connection failed', 'Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local']), {
      base: (c) => env(c, 'DATABASE_HOST', 'database.production.svc.cluster.local'),
    }).build(),
  'crash-connection-refused': () =>
    failing('inventory', 'v1.8.0', (c) => env(c, 'REDIS_URL', 'redis://cache.production.svc.cluster.local:6379/0'), crashLoop(['[ioredis] Unhandled error event: Error: connect ECONNREFUSED 10.96.14.7:6379', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)', 'Fatal: cache unavailable, exiting']), {
      base: (c) => env(c, 'REDIS_URL', 'redis://redis-primary:6379/0'),
    }).build(),
  'crash-migration': () =>
    failing('user-service', 'v2.9.0', setImage(`${REG}/user-service:v3.0.0`), crashLoop([
      'INFO  o.f.core.internal.command.DbMigrate - Migrating schema "public" to version "3.0.0 - add user preferences"',
      'ERROR o.f.core.internal.command.DbMigrate - Migration of schema "public" to version "3.0.0 - add user preferences" failed! Changes successfully rolled back.',
      'org.flywaydb.core.internal.command.DbMigrate$FlywayMigrateException: Migration V3_0_0__add_user_preferences.sql failed',
      'Message    : ERROR: column "preferences" of relation "users" already exists',
    ])).build(),
  'crash-exception': () =>
    failing('pricing-engine', 'v1.6.0', setImage(`${REG}/pricing-engine:v1.7.0`), crashLoop(['Exception in thread "main" java.lang.NullPointerException: Cannot invoke "com.acme.pricing.TaxTable.rateFor(String)" because "this.taxTable" is null', '\tat com.acme.pricing.PriceCalculator.<init>(PriceCalculator.java:42)'])).build(),
  'oom-killed': () =>
    failing('exchange-service', 'v1.8.2', setImage(`${REG}/exchange-service:v1.9.0`), oomKilled(), {
      namespace: 'forex-prod',
      base: (c) => void (c.resources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '512Mi' } }),
    }).build(),
  'readiness-probe-failing': () =>
    failing('payments-api', 'v7.2.0', setImage(`${REG}/payments-api:v7.3.0`), notReady('HTTP probe failed with statuscode: 500', ['Listening on :8080', 'WARN readiness check failed: fraud-scoring dependency degraded']), {
      base: (c) => void (c.readinessProbe!.httpGet!.path = '/health/ready'),
    }).build(),
  'probe-port-mismatch': () =>
    failing('catalog-api', 'v1.0.0', (c) => void ((c.image = `${REG}/catalog-api:v2.0.0`), (c.ports = [{ name: 'http', containerPort: 3000 }])), livenessKilled(refused(8080), ['Server listening on http://0.0.0.0:3000']), {
      base: (c) => void ((c.readinessProbe!.httpGet!.port = 8080), (c.livenessProbe!.httpGet!.port = 8080)),
    }).build(),
  'liveness-too-early': () =>
    failing('ledger', 'v4.1.0', setImage(`${REG}/ledger:v4.2.0`), livenessKilled(refused(8080), ['Starting LedgerApplication v4.2.0 using Java 21', 'Warming up account index (this can take a while)']), {
      base: (c) => void (c.livenessProbe!.initialDelaySeconds = 30),
    }).build(),
  'missing-secret': () =>
    failing('auth-service', 'v2.3.0', (c) => void (c.env = [{ name: 'JWT_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'auth-service-jwt', key: 'signing-key' } } }]), configError('secret "auth-service-jwt" not found'))
      .configRef({ kind: 'Secret', name: 'auth-service-jwt', exists: false, keys: [] })
      .build(),
  'missing-configmap': () =>
    failing('recommendation-engine', 'v0.9.0', (c) => void (c.envFrom = [{ configMapRef: { name: 'recommendation-config-v2' } }]), configError('configmap "recommendation-config-v2" not found'))
      .configRef({ kind: 'ConfigMap', name: 'recommendation-config-v2', exists: false, keys: [] })
      .build(),
  'missing-config-key': () =>
    failing('email-sender', 'v1.5.0', (c) => void c.env!.push({ name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'email-sender-smtp', key: 'SMTP_PASSWORD' } } }), configError("couldn't find key SMTP_PASSWORD in Secret production/email-sender-smtp"), {
      base: (c) => void (c.env = [{ name: 'SMTP_USER', valueFrom: { secretKeyRef: { name: 'email-sender-smtp', key: 'smtp-user' } } }]),
    })
      .configRef({ kind: 'Secret', name: 'email-sender-smtp', exists: true, keys: ['smtp-password', 'smtp-user'] })
      .build(),
  'insufficient-memory': () =>
    failing('analytics-worker', 'v6.0.0', (c) => void (c.resources = { requests: { cpu: '500m', memory: '64Gi' }, limits: { memory: '64Gi' } }), unschedulable(
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    )).build(),
  'node-selector-mismatch': () =>
    failing('gpu-inference', 'v0.4.0', (_c, spec) => void (spec.nodeSelector = { accelerator: 'nvidia-a100' }), unschedulable(
      "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.",
    )).build(),
  'quota-exceeded': () =>
    new SnapshotBuilder('batch-processor', { namespace: 'batch', image: `${REG}/batch-processor:v2.2.0` })
      .base((c) => void (c.resources = { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } }))
      .change((c) => void (c.resources = { requests: { cpu: '250m', memory: '2Gi' }, limits: { memory: '2Gi' } }))
      .readyPods(1, 3)
      .failedCreate(quotaMessage('compute-quota', 'requests.memory=2Gi', 'requests.memory=3Gi', 'requests.memory=4Gi'))
      .deadlineExceeded()
      .quota('compute-quota', { 'requests.memory': '4Gi', 'requests.cpu': '4' }, { 'requests.memory': '3Gi', 'requests.cpu': '750m' })
      .build(),
  'rollout-stuck': () =>
    new SnapshotBuilder('media-transcoder', { namespace: 'media', image: `${REG}/media-transcoder:v1.0.0` })
      .strategy(1, 0)
      .change(setImage(`${REG}/media-transcoder:v1.1.0`))
      .readyPods(1, 3)
      .failedCreate(quotaMessage('media-quota', 'pods=1', 'pods=3', 'pods=3'))
      .deadlineExceeded()
      .quota('media-quota', { pods: '3' }, { pods: '3' })
      .build(),
  'rollout-paused': () => new SnapshotBuilder('cart-service', { image: `${REG}/cart-service:v3.0.0` }).pausedChange(setImage(`${REG}/cart-service:v3.1.0`)).readyPods(1, 3).build(),
  'service-no-endpoints': () =>
    new SnapshotBuilder('search-api', { image: `${REG}/search-api:v1.3.0` })
      .base((_c, _s, labels) => void (labels.tier = 'backend'))
      .change((c, _s, labels) => void ((c.image = `${REG}/search-api:v1.4.0`), (labels.tier = 'api')), 3)
      .complete()
      .readyPods(2, 3)
      .service('search-api', { app: 'search-api', tier: 'backend' }, 0)
      .build(),
  ...FAMILY_SNAPSHOTS,
};

describe('the scenario catalog, diagnosed', () => {
  it('has a snapshot for every scenario', () => {
    expect(Object.keys(SNAPSHOTS).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });

  it.each(SCENARIOS.map((s) => [s.name, s.expect] as const))('%s', (name, expected) => {
    const findings = analyzeDeployment(SNAPSHOTS[name]!());
    if (!expected.length) {
      expect(findings.filter((f) => f.severity === 'critical' || f.severity === 'error')).toEqual([]);
      return;
    }
    expect(findings[0]?.code).toBe(expected[0]);
    for (const code of expected) {
      const f = findings.find((x) => x.code === code);
      expect(f, code).toBeDefined();
      expect(f!.evidence.length, `${code} evidence`).toBeGreaterThan(0);
      expect(f!.fixes.length, `${code} fixes`).toBeGreaterThan(0);
    }
  });

  it.each(SCENARIOS.map((s) => s.name))('%s: the order of the input arrays does not matter', (name) => {
    const snapshot = SNAPSHOTS[name]!();
    const expected = analyzeDeployment(snapshot);
    for (const seed of [1, 7, 42]) {
      const mixed = shuffled(snapshot, seed);
      expect(mixed.pods.map((p) => p.metadata?.name).join() + mixed.events.map((e) => e.metadata?.name).join()).not.toBe(
        snapshot.pods.map((p) => p.metadata?.name).join() + snapshot.events.map((e) => e.metadata?.name).join(),
      );
      expect(analyzeDeployment(mixed)).toEqual(expected);
    }
  });
});
