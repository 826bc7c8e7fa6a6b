import type { ImageBehavior, ImageCatalog } from './types.js';

export const REGISTRY = 'registry.example.com';

/** A typical web service: starts in 3 s, listens on 8080, answers 200 everywhere. */
export const DEFAULT_BEHAVIOR: ImageBehavior = {
  startupSeconds: 3,
  listens: [8080],
  memoryMiB: 128,
  startLogs: ['Starting ${app} ${tag}', 'Loading configuration from environment'],
  readyLogs: ['Listening on :8080'],
};

const nodeCrash = (lines: string[]) => ({ afterSeconds: 2, code: 1, logs: lines });

/**
 * Every repository and tag the simulated registry knows, with what each
 * image does. Images not listed here do not exist.
 */
export const IMAGE_CATALOG: ImageCatalog = {
  unreachableHosts: ['registry.internal.invalid'],
  repositories: {
    [`${REGISTRY}/web-frontend`]: { tags: { 'v1.4.0': {}, 'v1.4.1': {} } },
    [`${REGISTRY}/api-server`]: { tags: { 'v2.0.0': {}, 'v2.1.0': {}, 'v1.9.3': {} } },
    [`${REGISTRY}/search-indexer`]: { tags: { 'v3.1.0': {}, 'v3.2.0': {} } },
    [`${REGISTRY}/private/billing-worker`]: {
      tags: { 'v5.0.0': {}, 'v5.1.0': {} },
      credentials: { username: 'ci-bot', password: 'b1ll1ng-pull-token' },
    },
    [`${REGISTRY}/notification-service`]: { tags: { 'v1.1.0': {}, 'v1.2.0': {} } },
    [`${REGISTRY}/report-generator`]: { tags: { 'v4.0.0': {} } },
    [`${REGISTRY}/checkout`]: {
      tags: {
        'v2.0.0': {},
        'v2.0.1': {
          exit: nodeCrash([
            'node:internal/modules/cjs/loader:1143',
            '  throw err;',
            '  ^',
            '',
            "Error: Cannot find module 'missing-dependency'",
            'Require stack:',
            '- /app/src/payments/client.js',
            '- /app/src/server.js',
            '    at Function.Module._resolveFilename (node:internal/modules/cjs/loader:1140:15)',
            '    at Function.Module._load (node:internal/modules/cjs/loader:981:27)',
            '    at Module.require (node:internal/modules/cjs/loader:1231:19)',
            '    at require (node:internal/modules/helpers:177:18)',
            '    at Object.<anonymous> (/app/src/payments/client.js:3:16)',
            "  code: 'MODULE_NOT_FOUND',",
            "  requireStack: [ '/app/src/payments/client.js', '/app/src/server.js' ]",
            '}',
            '',
            'Node.js v20.11.1',
          ]),
        },
      },
    },
    [`${REGISTRY}/orders-api`]: {
      tags: {
        'v3.4.0': {
          requires: [
            {
              env: 'DATABASE_HOST',
              port: 5432,
              afterSeconds: 2,
              onDnsFailure: ['Connecting to database ${host}:5432', 'Fatal error: Database connection failed', 'Error: getaddrinfo ENOTFOUND ${host}'],
              onRefused: ['Connecting to database ${address}', 'Fatal error: Database connection failed', 'Error: connect ECONNREFUSED ${address}'],
            },
          ],
        },
      },
    },
    [`${REGISTRY}/inventory`]: {
      tags: {
        'v1.8.0': {
          requires: [
            {
              env: 'REDIS_URL',
              port: 6379,
              afterSeconds: 2,
              onDnsFailure: ['[ioredis] Unhandled error event: Error: getaddrinfo ENOTFOUND ${host}', 'Fatal: cache unavailable, exiting'],
              onRefused: [
                '[ioredis] Unhandled error event: Error: connect ECONNREFUSED ${address}',
                '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
                'Fatal: cache unavailable, exiting',
              ],
            },
          ],
        },
      },
    },
    [`${REGISTRY}/user-service`]: {
      tags: {
        'v2.9.0': { startupSeconds: 8, listens: [8080], memoryMiB: 380 },
        'v3.0.0': {
          startupSeconds: 8,
          memoryMiB: 380,
          exit: {
            afterSeconds: 6,
            code: 1,
            logs: [
              'INFO  o.f.c.i.database.base.BaseDatabaseType - Database: jdbc:postgresql://users-db:5432/users (PostgreSQL 15.4)',
              'INFO  o.f.core.internal.command.DbMigrate - Current version of schema "public": 2.9.4',
              'INFO  o.f.core.internal.command.DbMigrate - Migrating schema "public" to version "3.0.0 - add user preferences"',
              'ERROR o.f.core.internal.command.DbMigrate - Migration of schema "public" to version "3.0.0 - add user preferences" failed! Changes successfully rolled back.',
              'ERROR o.s.boot.SpringApplication - Application run failed',
              'org.flywaydb.core.internal.command.DbMigrate$FlywayMigrateException: Migration V3_0_0__add_user_preferences.sql failed',
              '-----------------------------------------------------------------------------------------',
              'SQL State  : 42701',
              'Error Code : 0',
              'Message    : ERROR: column "preferences" of relation "users" already exists',
              'Location   : db/migration/V3_0_0__add_user_preferences.sql',
              'Line       : 1',
              'Statement  : ALTER TABLE users ADD COLUMN preferences JSONB NOT NULL DEFAULT \'{}\'',
            ],
          },
        },
      },
    },
    [`${REGISTRY}/exchange-service`]: {
      tags: {
        'v1.8.2': { startupSeconds: 10, memoryMiB: 400 },
        'v1.9.0': {
          startupSeconds: 10,
          memoryMiB: 700,
          startLogs: ['Starting exchange-service v1.9.0 with JAVA_OPTS=-Xms600m -Xmx1g', 'Loading rate tables into memory'],
        },
      },
    },
    [`${REGISTRY}/payments-api`]: {
      tags: {
        'v7.2.0': {},
        'v7.3.0': { httpStatus: { '/health/ready': 500 }, readyLogs: ['Listening on :8080', 'WARN readiness check failed: fraud-scoring dependency degraded'] },
      },
    },
    [`${REGISTRY}/catalog-api`]: {
      tags: { 'v1.0.0': {}, 'v2.0.0': { listens: [3000], readyLogs: ['Server listening on http://0.0.0.0:3000'] } },
    },
    [`${REGISTRY}/ledger`]: {
      tags: {
        'v4.1.0': { startupSeconds: 20, memoryMiB: 300 },
        'v4.2.0': {
          startupSeconds: 95,
          memoryMiB: 300,
          startLogs: ['Starting LedgerApplication v4.2.0 using Java 21', 'Initializing Spring embedded WebApplicationContext', 'Warming up account index (this can take a while)'],
          readyLogs: ['Started LedgerApplication in 94.8 seconds', 'Tomcat started on port 8080 (http)'],
        },
      },
    },
    [`${REGISTRY}/auth-service`]: { tags: { 'v2.3.0': {}, 'v2.4.0': {} } },
    [`${REGISTRY}/recommendation-engine`]: { tags: { 'v0.9.0': {}, 'v1.0.0': {} } },
    [`${REGISTRY}/email-sender`]: { tags: { 'v1.5.0': {}, 'v1.6.0': {} } },
    [`${REGISTRY}/analytics-worker`]: { tags: { 'v6.0.0': {}, 'v6.1.0': {} } },
    [`${REGISTRY}/gpu-inference`]: { tags: { 'v0.4.0': {}, 'v0.5.0': {} } },
    [`${REGISTRY}/batch-processor`]: { tags: { 'v2.2.0': {}, 'v2.3.0': {} } },
    [`${REGISTRY}/media-transcoder`]: { tags: { 'v1.0.0': {}, 'v1.1.0': {} } },
    [`${REGISTRY}/cart-service`]: { tags: { 'v3.0.0': {}, 'v3.1.0': {} } },
    [`${REGISTRY}/search-api`]: { tags: { 'v1.3.0': {}, 'v1.4.0': {} } },
    [`${REGISTRY}/pricing-engine`]: {
      tags: {
        'v1.6.0': {},
        'v1.7.0': {
          exit: {
            afterSeconds: 4,
            code: 1,
            logs: [
              'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "com.acme.pricing.TaxTable.rateFor(String)" because "this.taxTable" is null',
              '\tat com.acme.pricing.PriceCalculator.<init>(PriceCalculator.java:42)',
              '\tat com.acme.pricing.PricingEngine.main(PricingEngine.java:17)',
            ],
          },
        },
      },
    },
    [`${REGISTRY}/model-server`]: { tags: { 'v2.3.0': {}, 'v2.4.0': {} } },
    [`${REGISTRY}/session-gateway`]: { tags: { 'v1.2.0': {}, 'v1.3.0': {} } },
    [`${REGISTRY}/report-archiver`]: { tags: { 'v1.0.0': {}, 'v1.1.0': {} } },
    [`${REGISTRY}/document-store`]: { tags: { 'v3.0.0': { memoryMiB: 200 }, 'v3.1.0': { memoryMiB: 200 } } },
    [`${REGISTRY}/etl-runner`]: { tags: { 'v2.0.0': { cpuMillicores: 180 }, 'v2.1.0': { cpuMillicores: 180 } } },
    [`${REGISTRY}/card-vault`]: { tags: { 'v1.8.0': {}, 'v1.9.0': {} } },
    [`${REGISTRY}/fulfillment-api`]: { tags: { 'v2.0.0': {} } },
    [`${REGISTRY}/invoice-service`]: { tags: { 'v4.2.0': {}, 'v4.3.0': {} } },
    [`${REGISTRY}/invoice-migrations`]: {
      tags: {
        'v4.2.0': { startupSeconds: 4, listens: [], memoryMiB: 60, startLogs: ['Using environment: production', 'Already up to date'], readyLogs: [] },
        'v4.3.0': {
          startupSeconds: 4,
          listens: [],
          memoryMiB: 60,
          startLogs: ['Using environment: production'],
          exit: {
            afterSeconds: 3,
            code: 1,
            logs: [
              'migration file "20250611093000_add_tax_region_to_invoices.js" failed',
              'migration failed with error: alter table "invoices" add column "tax_region_id" integer not null - column "tax_region_id" of relation "invoices" contains null values',
              'error: alter table "invoices" add column "tax_region_id" integer not null - column "tax_region_id" of relation "invoices" contains null values',
              '    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)',
              '    at Parser.handlePacket (/app/node_modules/pg-protocol/dist/parser.js:122:29)',
            ],
          },
        },
      },
    },
    [`${REGISTRY}/thumbnailer`]: {
      tags: {
        'v1.4.0': { entrypoint: '/app/serve', executables: ['/app/serve'] },
        'v1.5.0': { entrypoint: '/usr/local/bin/serve', executables: ['/usr/local/bin/serve'] },
      },
    },
    [`${REGISTRY}/catalog-indexer`]: {
      tags: {
        'v5.0.0': { startupSeconds: 8, memoryMiB: 420 },
        'v5.1.0': {
          startupSeconds: 90,
          memoryMiB: 900,
          startLogs: ['catalog-indexer v5.1.0 starting', 'Loading vector index from /data/index.faiss (2.1 GB)'],
          readyLogs: ['Index loaded: 4,812,330 vectors', 'Listening on :8080'],
        },
      },
    },
    [`${REGISTRY}/profile-api`]: { tags: { 'v2.2.0': {}, 'v2.3.0': {} } },
    [`${REGISTRY}/redis`]: { tags: { '7.2': { listens: [6379], readyLogs: ['Ready to accept connections tcp'] } } },
  },
};
