import { PagerDutyEmulator } from '../../src/sim/pagerduty/emulator.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { startServeWorld, type ServeProcess, type ServeWorld } from '../helpers/serve-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

/**
 * Several `deploy-medic serve` replicas (real processes) sharing one real PostgreSQL
 * database, electing their leader on a Lease in the Kubernetes simulator, with the Slack
 * and PagerDuty emulators. Election timings are client-go's 15/10/2 shortened to 3/2/0.5 s.
 */
export const LEASE_DURATION_MS = 3_000;
export const RETRY_PERIOD_MS = 500;
const ELECTION_ENV = {
  LEADER_ELECTION_NAMESPACE: 'default',
  LEADER_ELECTION_LEASE_DURATION: String(LEASE_DURATION_MS / 1000),
  LEADER_ELECTION_RENEW_DEADLINE: '2',
  LEADER_ELECTION_RETRY_PERIOD: String(RETRY_PERIOD_MS / 1000),
};
const BECAME = /^became the leader/;
const STOPPED = /^stopped leading/;

export interface Replica {
  name: string;
  process: ServeProcess;
  /** Its own way to PostgreSQL, when asked for: cut it to take the database away from this replica alone. */
  database?: TcpProxy;
  /** When it was killed (wall clock), if it was. */
  killedAt?: number;
  kill(): Promise<void>;
  /** GET /readyz: the status and the checks' text. */
  readiness(): Promise<{ status: number; text: string }>;
}

export interface HaWorld {
  w: ServeWorld;
  pg: PostgresCluster;
  pd: PagerDutyEmulator;
  replicas: Replica[];
  /** Starts a replica named POD_NAME=`name`; `proxied`: its DATABASE_URL goes through a TCP proxy of its own. */
  replica(name: string, opts?: { proxied?: boolean; serving?: boolean }): Promise<Replica>;
  /** The replica that became the leader last and has not stopped leading (or died) since, waiting for one. */
  leader(opts?: { other?: Replica; timeoutMs?: number }): Promise<Replica>;
  /** The live replicas leading now, by their logs. */
  leaders(): Replica[];
  /** When each replica led, from their logs: [became, stopped-or-killed-or-now). */
  leadership(): Array<{ name: string; from: number; to: number }>;
  /** The Lease's holder, as the API server has it. */
  leaseHolder(): Promise<string | undefined>;
  stop(): Promise<void>;
}

const logTime = (line: Record<string, unknown>) => Number(line.time);

export async function startHaWorld(policy: (pd: PagerDutyEmulator) => string, env: Record<string, string> = {}): Promise<HaWorld> {
  const pg = await startPostgres();
  const pd = await PagerDutyEmulator.start();
  const databaseUrl = await pg.createDatabase('medic');
  const w = await startServeWorld(policy(pd), { ...pd.env(), ...ELECTION_ENV, ...env }, { databaseUrl });
  const replicas: Replica[] = [];
  const proxies: TcpProxy[] = [];

  const intervals = (r: Replica) => {
    const out: Array<{ name: string; from: number; to: number }> = [];
    for (const line of r.process.logs) {
      const msg = String(line.msg ?? '');
      if (BECAME.test(msg)) out.push({ name: r.name, from: logTime(line), to: Infinity });
      else if (STOPPED.test(msg) && out.at(-1)?.to === Infinity) out.at(-1)!.to = logTime(line);
    }
    const open = out.at(-1);
    if (open?.to === Infinity && r.killedAt !== undefined) open.to = r.killedAt;
    return out;
  };

  const world: HaWorld = {
    w,
    pg,
    pd,
    replicas,
    async replica(name, opts = {}) {
      let database: TcpProxy | undefined;
      let url = databaseUrl;
      if (opts.proxied) {
        database = await startTcpProxy({ host: '127.0.0.1', port: pg.port });
        proxies.push(database);
        url = databaseUrl.replace(`:${pg.port}/`, `:${database.port}/`);
      }
      const env = { POD_NAME: name, DATABASE_URL: url };
      const process = opts.serving ? await w.spawnServing(env) : await w.spawn(env);
      const r: Replica = {
        name,
        process,
        ...(database ? { database } : {}),
        async kill() {
          r.killedAt = Date.now();
          await process.kill();
        },
        async readiness() {
          const res = await fetch(`http://127.0.0.1:${process.port}/readyz`);
          return { status: res.status, text: await res.text() };
        },
      };
      replicas.push(r);
      return r;
    },
    leaders: () => replicas.filter((r) => r.killedAt === undefined && intervals(r).at(-1)?.to === Infinity),
    async leader(opts = {}) {
      const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
      for (;;) {
        const leading = world.leaders().filter((r) => r !== opts.other);
        if (leading.length === 1) return leading[0]!;
        if (leading.length > 1) throw new Error(`several leaders at once: ${leading.map((r) => r.name).join(', ')}`);
        if (Date.now() > deadline) throw new Error(`no leader${opts.other ? ` other than ${opts.other.name}` : ''} after ${opts.timeoutMs ?? 30_000} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    leadership: () => replicas.flatMap(intervals).map((i) => ({ ...i, to: i.to === Infinity ? Date.now() : i.to })),
    async leaseHolder() {
      const lease = await w.sim.get<{ spec?: { holderIdentity?: string } }>('/apis/coordination.k8s.io/v1/namespaces/default/leases/deploy-medic');
      return lease.spec?.holderIdentity || undefined;
    },
    async stop() {
      await w.stop();
      await Promise.all(proxies.map((p) => p.close()));
      await pd.stop();
      await pg.dispose();
    },
  };
  return world;
}

/** No two replicas' leadership overlapped. */
export function overlaps(intervals: Array<{ name: string; from: number; to: number }>): string[] {
  const out: string[] = [];
  for (const [i, a] of intervals.entries()) {
    for (const b of intervals.slice(i + 1)) if (a.from < b.to && b.from < a.to) out.push(`${a.name} [${a.from}, ${a.to}) and ${b.name} [${b.from}, ${b.to})`);
  }
  return out;
}
