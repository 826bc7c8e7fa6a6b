import pg from 'pg';
import { isMedicError, MedicError } from '../../../errors.js';
import type { Logger } from '../../../log.js';

/** Statements with @name parameters, run on the pool or inside one transaction. */
export interface Sql {
  rows<T>(text: string, params?: Record<string, unknown>): Promise<T[]>;
  row<T>(text: string, params?: Record<string, unknown>): Promise<T | undefined>;
  /** How many rows the statement wrote. */
  run(text: string, params?: Record<string, unknown>): Promise<number>;
}

/** A replica waits this long for a connection: an unreachable server is "not ready", never a hung request. */
const CONNECT_TIMEOUT_MS = 5_000;
/** No statement of ours takes long; one that does is stuck behind a lock or a dying server. */
const STATEMENT_TIMEOUT_MS = 15_000;
const POOL_SIZE = 10;

// int8 (counts, epoch milliseconds, ids) and numeric (SUM) as numbers: every value we store fits in 2^53.
const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 || oid === NUMERIC ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** The pool of one database, with every failure a STORE MedicError naming it (without its password). */
export class PostgresConnection implements Sql {
  readonly where: string;
  private readonly pool: pg.Pool;

  constructor(url: string, log?: Logger) {
    this.where = describeUrl(url);
    this.pool = new pg.Pool({
      connectionString: url,
      max: POOL_SIZE,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS,
      keepAlive: true,
      application_name: 'deploy-medic',
      types,
    });
    // An idle connection the server dropped (restart, failover, network) is removed by the pool; the next query reconnects.
    this.pool.on('error', (err) => log?.warn({ err: this.error(err) }, 'a PostgreSQL connection failed; the pool reconnects on next use'));
  }

  async rows<T>(text: string, params: Record<string, unknown> = {}): Promise<T[]> {
    return (await this.query<T>(this.pool, text, params)).rows;
  }

  async row<T>(text: string, params: Record<string, unknown> = {}): Promise<T | undefined> {
    return (await this.rows<T>(text, params))[0];
  }

  async run(text: string, params: Record<string, unknown> = {}): Promise<number> {
    return (await this.query(this.pool, text, params)).rowCount ?? 0;
  }

  /** Runs `work` in one transaction (READ COMMITTED: every claim below is a row-locking conditional statement). */
  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.error(e);
    }
    // A checked-out client has no pool listener: without this, a connection dying mid-transaction would crash the process.
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    const sql: Sql = {
      rows: async (text, params = {}) => (await this.query(client, text, params)).rows as never[],
      row: async (text, params = {}) => (await this.query(client, text, params)).rows[0] as never,
      run: async (text, params = {}) => (await this.query(client, text, params)).rowCount ?? 0,
    };
    try {
      await this.query(client, 'BEGIN', {});
      const result = await work(sql);
      await this.query(client, 'COMMIT', {});
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((err: Error) => (broken ??= err));
      // Statements fail as MedicErrors already; anything else is the caller's own signal (a lost race) and passes as is.
      throw e;
    } finally {
      client.off('error', onError);
      // A broken connection is destroyed rather than handed to the next caller.
      client.release(broken);
    }
  }

  async end(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async query<T>(on: pg.Pool | pg.PoolClient, text: string, params: Record<string, unknown>): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
    const { sql, names } = compile(text);
    const values = names.map((n) => {
      if (!(n in params)) throw new MedicError('INTERNAL', `statement parameter @${n} was not given`);
      return params[n];
    });
    try {
      return await on.query<T & pg.QueryResultRow>(sql, values);
    } catch (e) {
      throw this.error(e);
    }
  }

  error(e: unknown): MedicError {
    return storeError(this.where, e);
  }
}

const compiled = new Map<string, { sql: string; names: string[] }>();

/** "… WHERE id = @id AND holder = @holder" as "… $1 … $2" with the names in order; one $n per distinct name. */
function compile(text: string): { sql: string; names: string[] } {
  let c = compiled.get(text);
  if (!c) {
    const names: string[] = [];
    const sql = text.replace(/@(\w+)/g, (_, name: string) => {
      if (!names.includes(name)) names.push(name);
      return `$${names.indexOf(name) + 1}`;
    });
    c = { sql, names };
    compiled.set(text, c);
  }
  return c;
}

/** postgres://user@host:port/db: the URL as logs and errors may show it. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Any failure of the database as a STORE MedicError naming it and what to do. */
export function storeError(where: string, e: unknown): MedicError {
  if (isMedicError(e)) return e;
  const code = String((e as { code?: unknown }).code ?? '');
  const message = e instanceof Error ? e.message : String(e);
  const problem = (text: string, remedy: string) => new MedicError('STORE', `the PostgreSQL database ${where} ${text}; ${remedy}`, { cause: e, details: { database: where, sqlState: code || undefined } });
  if (UNREACHABLE.has(code) || /timeout exceeded when trying to connect|Connection terminated/i.test(message)) {
    return problem(`cannot be reached (${code || message})`, 'check that the server is up and reachable from here');
  }
  switch (code) {
    case '28P01':
    case '28000':
      return problem('refused the credentials', 'check the user and password in DATABASE_URL');
    case '3D000':
      return problem('does not exist', 'create it (CREATE DATABASE) or fix the database name in DATABASE_URL');
    case '42501':
      return problem(`refused a statement (${message})`, 'grant this user the privileges to create and write its tables');
    case '57P01':
    case '57P02':
    case '57P03':
      return problem(`is shutting down or starting up (${message})`, 'wait for the server, or check its failover');
    case '57014':
      return problem(`cancelled a statement that ran over ${STATEMENT_TIMEOUT_MS / 1000} s`, 'check for a stuck session holding locks');
    default:
      return problem(`failed: ${message}`, 'see the cause in the log');
  }
}
