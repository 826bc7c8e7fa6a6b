import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { configMap, dockerConfig, externalService, helperDeployment, image, quota, secret, service, setEnv, setImage } from './objects.js';
import { REGISTRY } from './images.js';
import type { Scenario } from './scenario.js';
import { ADMISSION_SCENARIOS } from './scenarios-admission.js';
import { RUNTIME_SCENARIOS } from './scenarios-runtime.js';
import { SCHEDULING_SCENARIOS } from './scenarios-scheduling.js';

export type { Scenario } from './scenario.js';

const CLASSIC_SCENARIOS: Scenario[] = [
  {
    name: 'healthy',
    description: 'A routine release that rolls out cleanly',
    namespace: 'production',
    deployment: 'web-frontend',
    expect: [],
    tag: 'v1.4.0',
    change: setImage('v1.4.1'),
    changeCause: 'kubectl set image deployment/web-frontend web-frontend=registry.example.com/web-frontend:v1.4.1',
  },
  {
    name: 'image-tag-not-found',
    description: 'The new tag v2.0.1 was never pushed; v2.0.0 and v2.1.0 exist',
    namespace: 'production',
    deployment: 'api-server',
    expect: ['IMAGE_TAG_NOT_FOUND', 'PROGRESS_DEADLINE_EXCEEDED'],
    tag: 'v2.0.0',
    change: setImage('v2.0.1'),
    changeCause: 'deploy api-server v2.0.1 (pipeline #4812)',
  },
  {
    name: 'image-repository-not-found',
    description: 'A typo in the repository name (search-indexr)',
    namespace: 'production',
    deployment: 'search-indexer',
    expect: ['IMAGE_REPOSITORY_NOT_FOUND'],
    tag: 'v3.1.0',
    change: setImage('v3.2.0', 'search-indexr'),
    changeCause: 'deploy search-indexer v3.2.0',
  },
  {
    name: 'image-pull-unauthorized',
    description: 'The rotated pull secret holds a wrong token for the private repository',
    namespace: 'production',
    deployment: 'billing-worker',
    expect: ['IMAGE_PULL_UNAUTHORIZED'],
    tag: 'v5.0.0',
    setup: [dockerConfig('production', 'regcred', 'ci-bot', 'b1ll1ng-pull-token'), dockerConfig('production', 'regcred-rotated', 'ci-bot', 'expired-token')],
    base: (d, c) => {
      c.image = image('private/billing-worker', 'v5.0.0');
      d.spec!.template!.spec!.imagePullSecrets = [{ name: 'regcred' }];
    },
    change: (d, c) => {
      c.image = image('private/billing-worker', 'v5.1.0');
      d.spec!.template!.spec!.imagePullSecrets = [{ name: 'regcred-rotated' }];
    },
    changeCause: 'deploy billing-worker v5.1.0 with rotated registry credentials',
  },
  {
    name: 'invalid-image-name',
    description: 'Upper-case letters in the image reference',
    namespace: 'production',
    deployment: 'notification-service',
    expect: ['INVALID_IMAGE_NAME'],
    tag: 'v1.1.0',
    change: (_d, c) => {
      c.image = `${REGISTRY}/Notification-Service:v1.2.0`;
    },
    changeCause: 'deploy notification-service v1.2.0',
  },
  {
    name: 'registry-unreachable',
    description: 'The image moved to a registry host the cluster cannot resolve',
    namespace: 'production',
    deployment: 'report-generator',
    expect: ['REGISTRY_UNREACHABLE'],
    tag: 'v4.0.0',
    change: (_d, c) => {
      c.image = 'registry.internal.invalid/report-generator:v4.0.0';
    },
    changeCause: 'move report-generator to the internal registry',
  },
  {
    name: 'crash-missing-module',
    description: "The new build crashes: Cannot find module 'missing-dependency'",
    namespace: 'production',
    deployment: 'checkout',
    expect: ['APP_MISSING_DEPENDENCY', 'CRASH_LOOP'],
    tag: 'v2.0.0',
    change: setImage('v2.0.1'),
    changeCause: 'deploy checkout v2.0.1',
  },
  {
    name: 'crash-config-dns',
    description: 'A wrong database host: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local',
    namespace: 'production',
    deployment: 'orders-api',
    expect: ['APP_CONFIG_DNS_ERROR', 'CRASH_LOOP'],
    tag: 'v3.4.0',
    setup: externalService('production', 'database', '10.20.0.15', 5432),
    base: (_d, c) => setEnv(c, 'DATABASE_HOST', { name: 'DATABASE_HOST', value: 'database.production.svc.cluster.local' }),
    change: (_d, c) => setEnv(c, 'DATABASE_HOST', { name: 'DATABASE_HOST', value: 'database-new.production.svc.cluster.local' }),
    changeCause: 'point orders-api at the new database',
  },
  {
    name: 'crash-connection-refused',
    description: 'The cache it now points at has no pods behind its Service: connect ECONNREFUSED',
    namespace: 'production',
    deployment: 'inventory',
    expect: ['APP_CONNECTION_REFUSED', 'CRASH_LOOP'],
    tag: 'v1.8.0',
    setup: [
      helperDeployment('production', 'redis-primary', image('redis', '7.2'), 6379),
      service('production', 'redis-primary', { app: 'redis-primary' }, 6379),
      service('production', 'cache', { app: 'cache' }, 6379),
    ],
    base: (_d, c) => setEnv(c, 'REDIS_URL', { name: 'REDIS_URL', value: 'redis://redis-primary:6379/0' }),
    change: (_d, c) => setEnv(c, 'REDIS_URL', { name: 'REDIS_URL', value: 'redis://cache.production.svc.cluster.local:6379/0' }),
    changeCause: 'switch inventory to the shared cache',
  },
  {
    name: 'crash-migration',
    description: 'A Flyway migration fails at start-up',
    namespace: 'production',
    deployment: 'user-service',
    expect: ['APP_MIGRATION_FAILED', 'CRASH_LOOP'],
    tag: 'v2.9.0',
    base: (_d, c) => {
      c.resources = { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '768Mi' } };
    },
    change: setImage('v3.0.0'),
    changeCause: 'deploy user-service v3.0.0 (schema 3.0.0)',
  },
  {
    name: 'crash-exception',
    description: 'The new build throws a NullPointerException at start-up',
    namespace: 'production',
    deployment: 'pricing-engine',
    expect: ['CRASH_LOOP'],
    tag: 'v1.6.0',
    change: setImage('v1.7.0'),
    changeCause: 'deploy pricing-engine v1.7.0',
  },
  {
    name: 'oom-killed',
    description: 'The new version needs 700Mi; the limit is 512Mi',
    namespace: 'forex-prod',
    deployment: 'exchange-service',
    expect: ['OOM_KILLED', 'CRASH_LOOP'],
    tag: 'v1.8.2',
    base: (_d, c) => {
      c.resources = { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '512Mi' } };
    },
    change: setImage('v1.9.0'),
    changeCause: 'deploy exchange-service v1.9.0',
  },
  {
    name: 'readiness-probe-failing',
    description: 'The readiness endpoint answers 500',
    namespace: 'production',
    deployment: 'payments-api',
    expect: ['READINESS_PROBE_FAILING'],
    tag: 'v7.2.0',
    base: (_d, c) => {
      c.readinessProbe!.httpGet!.path = '/health/ready';
    },
    change: setImage('v7.3.0'),
    changeCause: 'deploy payments-api v7.3.0',
  },
  {
    name: 'probe-port-mismatch',
    description: 'The app now listens on 3000 but the probes still dial 8080',
    namespace: 'production',
    deployment: 'catalog-api',
    expect: ['PROBE_PORT_MISMATCH', 'LIVENESS_PROBE_FAILING'],
    tag: 'v1.0.0',
    base: (_d, c) => {
      c.ports = [{ name: 'http', containerPort: 8080 }];
      c.readinessProbe!.httpGet!.port = 8080;
      c.livenessProbe!.httpGet!.port = 8080;
    },
    change: (_d, c) => {
      c.image = image('catalog-api', 'v2.0.0');
      c.ports = [{ name: 'http', containerPort: 3000 }];
    },
    changeCause: 'deploy catalog-api v2.0.0 (moves to port 3000)',
  },
  {
    name: 'liveness-too-early',
    description: 'Start-up takes 95 s but the liveness probe gives up after 50 s',
    namespace: 'production',
    deployment: 'ledger',
    expect: ['LIVENESS_PROBE_FAILING', 'CRASH_LOOP'],
    tag: 'v4.1.0',
    base: (_d, c) => {
      c.livenessProbe!.initialDelaySeconds = 30;
      c.readinessProbe!.initialDelaySeconds = 10;
      c.resources = { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } };
    },
    change: setImage('v4.2.0'),
    changeCause: 'deploy ledger v4.2.0',
  },
  {
    name: 'missing-secret',
    description: 'The new revision reads a Secret that was never created',
    namespace: 'production',
    deployment: 'auth-service',
    expect: ['MISSING_SECRET'],
    tag: 'v2.3.0',
    change: (d, c) => {
      setImage('v2.4.0')(d, c);
      setEnv(c, 'JWT_SIGNING_KEY', { name: 'JWT_SIGNING_KEY', valueFrom: { secretKeyRef: { name: 'auth-service-jwt', key: 'signing-key' } } });
    },
    changeCause: 'deploy auth-service v2.4.0 (JWT signing)',
  },
  {
    name: 'missing-configmap',
    description: 'The new revision loads a ConfigMap that does not exist',
    namespace: 'production',
    deployment: 'recommendation-engine',
    expect: ['MISSING_CONFIGMAP'],
    tag: 'v0.9.0',
    setup: [configMap('production', 'recommendation-config', { MODEL: 'v7', BATCH_SIZE: '64' })],
    base: (_d, c) => {
      c.envFrom = [{ configMapRef: { name: 'recommendation-config' } }];
    },
    change: (d, c) => {
      setImage('v1.0.0')(d, c);
      c.envFrom = [{ configMapRef: { name: 'recommendation-config-v2' } }];
    },
    changeCause: 'deploy recommendation-engine v1.0.0',
  },
  {
    name: 'missing-config-key',
    description: 'The Secret exists but has no key SMTP_PASSWORD (it is smtp-password)',
    namespace: 'production',
    deployment: 'email-sender',
    expect: ['MISSING_CONFIG_KEY'],
    tag: 'v1.5.0',
    setup: [secret('production', 'email-sender-smtp', { 'smtp-user': 'mailer', 'smtp-password': 'not-a-real-password' })],
    base: (_d, c) => setEnv(c, 'SMTP_USER', { name: 'SMTP_USER', valueFrom: { secretKeyRef: { name: 'email-sender-smtp', key: 'smtp-user' } } }),
    change: (d, c) => {
      setImage('v1.6.0')(d, c);
      setEnv(c, 'SMTP_PASSWORD', { name: 'SMTP_PASSWORD', valueFrom: { secretKeyRef: { name: 'email-sender-smtp', key: 'SMTP_PASSWORD' } } });
    },
    changeCause: 'deploy email-sender v1.6.0',
  },
  {
    name: 'insufficient-memory',
    description: 'Requests 64Gi of memory; no node has that much',
    namespace: 'production',
    deployment: 'analytics-worker',
    expect: ['INSUFFICIENT_RESOURCES'],
    tag: 'v6.0.0',
    change: (d, c) => {
      setImage('v6.1.0')(d, c);
      c.resources = { requests: { cpu: '500m', memory: '64Gi' }, limits: { memory: '64Gi' } };
    },
    changeCause: 'deploy analytics-worker v6.1.0 with a bigger heap',
  },
  {
    name: 'node-selector-mismatch',
    description: 'Asks for nodes labelled accelerator=nvidia-a100; there are none',
    namespace: 'production',
    deployment: 'gpu-inference',
    expect: ['NODE_SELECTOR_MISMATCH'],
    tag: 'v0.4.0',
    change: (d, c) => {
      setImage('v0.5.0')(d, c);
      d.spec!.template!.spec!.nodeSelector = { accelerator: 'nvidia-a100' };
    },
    changeCause: 'deploy gpu-inference v0.5.0 on A100 nodes',
  },
  {
    name: 'quota-exceeded',
    description: 'Doubling memory requests exceeds the namespace quota',
    namespace: 'batch',
    deployment: 'batch-processor',
    expect: ['QUOTA_EXCEEDED'],
    tag: 'v2.2.0',
    setup: [quota('batch', 'compute-quota', { 'requests.memory': '4Gi', 'requests.cpu': '4' })],
    base: (_d, c) => {
      c.resources = { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1Gi' } };
    },
    change: (d, c) => {
      setImage('v2.3.0')(d, c);
      c.resources = { requests: { cpu: '250m', memory: '2Gi' }, limits: { memory: '2Gi' } };
    },
    changeCause: 'deploy batch-processor v2.3.0 with 2Gi per worker',
  },
  {
    name: 'rollout-stuck',
    description: 'maxUnavailable 0 and a pod quota with no room for the surge pod',
    namespace: 'media',
    deployment: 'media-transcoder',
    expect: ['ROLLOUT_STUCK', 'QUOTA_EXCEEDED'],
    tag: 'v1.0.0',
    setup: [quota('media', 'media-quota', { pods: '3' })],
    base: (d) => {
      d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    },
    change: setImage('v1.1.0'),
    changeCause: 'deploy media-transcoder v1.1.0',
  },
  {
    name: 'rollout-paused',
    description: 'Paused mid-change: the new template is never rolled out',
    namespace: 'production',
    deployment: 'cart-service',
    expect: ['ROLLOUT_PAUSED'],
    tag: 'v3.0.0',
    pauseFirst: true,
    change: setImage('v3.1.0'),
    changeCause: 'deploy cart-service v3.1.0',
  },
  {
    name: 'service-no-endpoints',
    description: 'New pod labels no longer match the Service selector',
    namespace: 'production',
    deployment: 'search-api',
    expect: ['SERVICE_NO_ENDPOINTS'],
    tag: 'v1.3.0',
    setup: [service('production', 'search-api', { app: 'search-api', tier: 'backend' }, 80, 8080)],
    base: (d) => {
      d.spec!.template!.metadata!.labels!.tier = 'backend';
    },
    change: (d, c) => {
      setImage('v1.4.0')(d, c);
      d.spec!.template!.metadata!.labels!.tier = 'api';
    },
    changeCause: 'deploy search-api v1.4.0 (relabel tier)',
  },
];

/** The catalog: the runbooks' failures, then scheduling, admission and runtime families. */
export const SCENARIOS: Scenario[] = [...CLASSIC_SCENARIOS, ...SCHEDULING_SCENARIOS, ...ADMISSION_SCENARIOS, ...RUNTIME_SCENARIOS];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** Revision 1 of a scenario: a conventional web deployment of the healthy tag. */
export function baseDeployment(s: Scenario): Deployment {
  const app = s.deployment;
  const container: Container = {
    name: app,
    image: image(app, s.tag),
    ports: [{ name: 'http', containerPort: 8080 }],
    env: [{ name: 'LOG_LEVEL', value: 'info' }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 15, periodSeconds: 10 },
  };
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: app,
      namespace: s.namespace,
      labels: { app },
      annotations: { 'kubernetes.io/change-cause': `initial deploy of ${app} ${s.tag}` },
    },
    spec: {
      replicas: s.replicas ?? 3,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [container] } },
    },
  };
  s.base?.(d, container);
  return d;
}
