import { image, service, setImage } from './objects.js';
import type { Scenario } from './scenario.js';

/** Pods that are placed and created but whose containers never get going: init, start, start-up probe; and a Service that misses. */
export const RUNTIME_SCENARIOS: Scenario[] = [
  {
    name: 'init-container-failing',
    description: 'The db-migrate init container of the new revision exits 1: a NOT NULL column on a table with rows',
    namespace: 'production',
    deployment: 'invoice-service',
    expect: ['INIT_CONTAINER_FAILING'],
    tag: 'v4.2.0',
    base: (d) => {
      d.spec!.template!.spec!.initContainers = [
        { name: 'db-migrate', image: image('invoice-migrations', 'v4.2.0'), command: ['npx', 'knex', 'migrate:latest'], resources: { requests: { cpu: '50m', memory: '64Mi' } } },
      ];
    },
    change: (d, c) => {
      c.image = image('invoice-service', 'v4.3.0');
      d.spec!.template!.spec!.initContainers![0]!.image = image('invoice-migrations', 'v4.3.0');
    },
    changeCause: 'deploy invoice-service v4.3.0 (tax regions migration)',
  },
  {
    name: 'container-start-failed',
    description: 'The new image moved its binary to /usr/local/bin/serve; the deployment still runs /app/serve',
    namespace: 'production',
    deployment: 'thumbnailer',
    expect: ['CONTAINER_START_FAILED'],
    tag: 'v1.4.0',
    base: (_d, c) => {
      c.command = ['/app/serve'];
    },
    change: setImage('v1.5.0'),
    changeCause: 'deploy thumbnailer v1.5.0 (distroless base image)',
  },
  {
    name: 'startup-probe-failing',
    description: 'The start-up probe allows 30 s (6 × 5 s); the new version loads its index for 90 s',
    namespace: 'production',
    deployment: 'catalog-indexer',
    expect: ['STARTUP_PROBE_FAILING'],
    tag: 'v5.0.0',
    base: (_d, c) => {
      c.startupProbe = { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5, failureThreshold: 6 };
      c.resources = { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '1Gi' } };
    },
    change: setImage('v5.1.0'),
    changeCause: 'deploy catalog-indexer v5.1.0 (embedded vector index)',
  },
  {
    name: 'service-selector-mismatch',
    description: 'The new revision relabels tier back-end to backend; the Service still selects tier=back-end and now selects nothing',
    namespace: 'production',
    deployment: 'profile-api',
    expect: ['SERVICE_SELECTOR_MISMATCH'],
    tag: 'v2.2.0',
    setup: [service('production', 'profile-api', { app: 'profile-api', tier: 'back-end' }, 80, 8080)],
    base: (d) => {
      d.spec!.template!.metadata!.labels!.tier = 'back-end';
    },
    change: (d, c) => {
      setImage('v2.3.0')(d, c);
      d.spec!.template!.metadata!.labels!.tier = 'backend';
    },
    changeCause: 'deploy profile-api v2.3.0 (label clean-up)',
  },
];
