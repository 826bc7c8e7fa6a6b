import { describe, expect, it } from 'vitest';
import { classifyLog } from './log-classifier.js';

describe('classifyLog', () => {
  it.each([
    ["Error: Cannot find module 'express'", 'APP_MISSING_DEPENDENCY'],
    ["ModuleNotFoundError: No module named 'requests'", 'APP_MISSING_DEPENDENCY'],
    ['Exception in thread "main" java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory', 'APP_MISSING_DEPENDENCY'],
    ['Caused by: java.lang.ClassNotFoundException: com.acme.Plugin', 'APP_MISSING_DEPENDENCY'],
    ['/app/server: error while loading shared libraries: libssl.so.3: cannot open shared object file: No such file or directory', 'APP_MISSING_DEPENDENCY'],
    ['Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local', 'APP_CONFIG_DNS_ERROR'],
    ['panic: dial tcp: lookup users-db on 10.96.0.10:53: no such host', 'APP_CONFIG_DNS_ERROR'],
    ['java.net.UnknownHostException: kafka-0.kafka', 'APP_CONFIG_DNS_ERROR'],
    ['psql: error: could not translate host name "db" to address: Name or service not known', 'APP_CONFIG_DNS_ERROR'],
    ['Error: connect ECONNREFUSED 10.96.14.7:6379', 'APP_CONNECTION_REFUSED'],
    ['redis.exceptions.ConnectionError: Error 111 connecting to cache:6379. Connection refused.', 'APP_CONNECTION_REFUSED'],
    ['org.flywaydb.core.api.FlywayException: Validate failed: Migrations have failed validation', 'APP_MIGRATION_FAILED'],
    ['liquibase.exception.MigrationFailedException: Migration failed for change set db/changelog.xml', 'APP_MIGRATION_FAILED'],
    ['alembic.util.exc.CommandError: Can\'t locate revision identified by \'abc123\'', 'APP_MIGRATION_FAILED'],
  ])('%s → %s', (line, cause) => {
    const c = classifyLog(['Starting app v2', line, 'exiting']);
    expect(c?.cause).toBe(cause);
    expect(c?.text).toBe(line);
  });

  it('reports the cause behind a failed migration, not the migration', () => {
    const c = classifyLog(['ERROR Migration of schema "public" failed!', 'org.postgresql.util.PSQLException: could not translate host name "users-db-new" to address']);
    expect(c?.cause).toBe('APP_CONFIG_DNS_ERROR');
  });

  it('does not read "Migrating schema" as a failure', () => {
    expect(classifyLog(['INFO Migrating schema "public" to version "3.0.0"', 'INFO Successfully applied 1 migration'])?.cause).toBeUndefined();
  });

  it('quotes a plain crash by its exception line with a few lines around it, not the whole log', () => {
    const noise = Array.from({ length: 200 }, (_, i) => `INFO request ${i} served`);
    const lines = [...noise, 'Exception in thread "main" java.lang.NullPointerException: x is null', ...Array.from({ length: 40 }, (_, i) => `\tat com.acme.Frame${i}(Frame.java:${i})`)];
    const c = classifyLog(lines)!;
    expect(c.cause).toBeUndefined();
    expect(c.text).toBe('Exception in thread "main" java.lang.NullPointerException: x is null');
    expect(c.excerpt.length).toBeLessThanOrEqual(6);
    expect(c.excerpt).toContain('\tat com.acme.Frame0(Frame.java:0)');
    expect(c.excerpt).not.toContain('\tat com.acme.Frame10(Frame.java:10)');
  });

  it('keeps the "Message :" line that says what broke', () => {
    const c = classifyLog([
      'ERROR DbMigrate - Migration of schema "public" to version "3.0.0" failed! Changes successfully rolled back.',
      'ERROR o.s.boot.SpringApplication - Application run failed',
      'org.flywaydb.core.internal.command.DbMigrate$FlywayMigrateException: Migration V3_0_0__prefs.sql failed',
      '-----------------------------------',
      'SQL State  : 42701',
      'Error Code : 0',
      'Message    : ERROR: column "preferences" of relation "users" already exists',
    ])!;
    expect(c.excerpt.at(-1)).toBe('Message    : ERROR: column "preferences" of relation "users" already exists');
    expect(c.excerpt).not.toContain('-----------------------------------');
  });

  it('falls back to the last lines when nothing looks like an error', () => {
    expect(classifyLog(['starting', 'loading', '', 'bye'])).toEqual({ text: 'bye', excerpt: ['starting', 'loading', 'bye'] });
    expect(classifyLog([])).toBeUndefined();
  });

  it('quotes lines exactly as given', () => {
    const line = 'Error: connect ECONNREFUSED 10.0.0.1:5432 (password=[REDACTED])';
    expect(classifyLog([line])!.excerpt).toEqual([line]);
  });
});
