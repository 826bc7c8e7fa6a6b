import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../../src/adapters/store/index.js';
import type { AuditEntry, Store } from '../../src/ports.js';
import type { SlackEmulator } from '../../src/sim/slack/emulator.js';
import type { StoredMessage } from '../../src/sim/slack/types.js';
import { startSim, type SimFixture } from './sim.js';
import { BOT_TOKEN, SIGNING_SECRET, startSlackEmulator, visibleText } from './slack.js';

/**
 * `deploy-medic serve` as real processes (`node bin/deploy-medic.js serve`)
 * against one Kubernetes simulator, one Slack emulator and one SQLite file:
 * several at once, or one after another with a SIGKILL in between.
 */

const BIN = resolve(import.meta.dirname, '../../bin/deploy-medic.js');
const LISTENING = /deploy-medic listening on port (\d+)/;

export interface ServeProcess {
  pid: number;
  port: number;
  /** Its /slack/events. */
  eventsUrl: string;
  /** Every JSON log line it wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Resolves when it exited, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for a log line the predicate accepts (already written, or to come). */
  waitForLog(predicate: (line: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** SIGKILL: no shutdown, no flush; resolves once the process is gone. */
  kill(): Promise<void>;
}

export interface ServeWorld {
  sim: SimFixture;
  slack: SlackEmulator;
  dir: string;
  databaseUrl: string;
  /** Starts a `serve` process on the shared store (`env`: more for this one); resolves once it listens. It is not made the emulator's request URL. */
  spawn(env?: Record<string, string>): Promise<ServeProcess>;
  /** Starts a `serve` process and makes it the app Slack delivers to. */
  spawnServing(env?: Record<string, string>): Promise<ServeProcess>;
  /** The shared store, opened by the test as another client of the file. */
  store(): Promise<Store>;
  /** The audit trail of one deployment (namespace production). */
  audit(name: string, namespace?: string): Promise<AuditEntry[]>;
  /** Moves the simulated cluster on (the processes use the wall clock) until `probe` answers; real time bounded. */
  until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, opts?: { stepMs?: number; timeoutMs?: number }): Promise<T>;
  /** Until a message of the thread (card excluded) matches. */
  untilThreadSays(threadTs: string, pattern: RegExp, opts?: { stepMs?: number; timeoutMs?: number }): Promise<StoredMessage>;
  threadText(threadTs: string): string;
  stop(): Promise<void>;
}

/** `env`: more environment for every process (PagerDuty, Alertmanager); `databaseUrl`: the store, if not a SQLite file in the world's directory. */
export async function startServeWorld(policy: string, env: Record<string, string> = {}, opts: { databaseUrl?: string } = {}): Promise<ServeWorld> {
  const sim = await startSim();
  const slack = await startSlackEmulator();
  const dir = mkdtempSync(join(tmpdir(), 'medic-serve-'));
  const databaseUrl = opts.databaseUrl ?? `sqlite://${join(dir, 'medic.db')}`;
  writeFileSync(join(dir, 'policy.yaml'), policy);
  const processEnv = {
    ...env,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    KUBECONFIG: sim.kubectl.kubeconfigPath,
    DEPLOY_MEDIC_CONFIG: join(dir, 'policy.yaml'),
    DATABASE_URL: databaseUrl,
    PORT: '0',
    LOG_LEVEL: 'debug',
    NO_COLOR: '1',
  };
  const children = new Map<ChildProcess, Promise<unknown>>();
  let store: Store | undefined;

  const spawnOne = async (env: Record<string, string> = {}): Promise<ServeProcess> => {
    const child = spawn(process.execPath, [BIN, 'serve'], { env: { ...processEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => {
        children.delete(child);
        done({ code, signal });
      }),
    );
    children.set(child, exited);
    const logs: Array<Record<string, unknown>> = [];
    const text: string[] = [];
    const waiters = new Set<() => void>();
    const lines = (chunk: Buffer, rest: { s: string }) => {
      rest.s += chunk.toString('utf8');
      const parts = rest.s.split('\n');
      rest.s = parts.pop()!;
      for (const line of parts.filter(Boolean)) {
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          text.push(line);
        }
      }
      for (const w of [...waiters]) w();
    };
    const out = { s: '' };
    const err = { s: '' };
    child.stdout!.on('data', (c: Buffer) => lines(c, out));
    child.stderr!.on('data', (c: Buffer) => lines(c, err));

    const waitFor = <T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
      new Promise((resolveWait, reject) => {
        const check = () => {
          const v = probe();
          if (v === undefined) return;
          cleanup();
          resolveWait(v);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`serve process ${child.pid}: timed out after ${timeoutMs} ms waiting for ${what}; it said:\n${text.join('\n')}\n${logs.slice(-20).map((l) => JSON.stringify(l)).join('\n')}`));
        }, timeoutMs);
        const onExit = () => {
          cleanup();
          reject(new Error(`serve process ${child.pid} exited while waiting for ${what}; it said:\n${text.join('\n')}\n${logs.slice(-20).map((l) => JSON.stringify(l)).join('\n')}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off('exit', onExit);
        };
        waiters.add(check);
        child.once('exit', onExit);
        check();
      });

    const port = Number(await waitFor(() => text.map((l) => LISTENING.exec(l)?.[1]).find(Boolean), '"deploy-medic listening on port N"', 30_000));
    return {
      pid: child.pid!,
      port,
      eventsUrl: `http://127.0.0.1:${port}/slack/events`,
      logs,
      exited,
      waitForLog: (predicate, what, timeoutMs = 30_000) => waitFor(() => logs.find(predicate), what, timeoutMs),
      async kill() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
      },
    };
  };

  const world: ServeWorld = {
    sim,
    slack,
    dir,
    databaseUrl,
    spawn: spawnOne,
    async spawnServing(env) {
      const p = await spawnOne(env);
      slack.setRequestUrl(p.eventsUrl);
      return p;
    },
    async store() {
      store ??= await openStore(databaseUrl);
      return store;
    },
    async audit(name, namespace = 'production') {
      return (await world.store()).listAudit({ cluster: 'default', namespace, name });
    },
    async until(what, probe, opts = {}) {
      const { stepMs = 1_000, timeoutMs = 45_000 } = opts;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await probe();
        if (v !== undefined) return v;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        sim.sim.advance(stepMs);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    untilThreadSays(threadTs, pattern, opts) {
      return world.until(
        `a thread message matching ${pattern} (thread so far: ${world.threadText(threadTs)})`,
        () => slack.thread('C0PROD', threadTs).find((m) => m.ts !== threadTs && pattern.test(visibleText(m))),
        opts,
      );
    },
    threadText: (threadTs) =>
      slack
        .thread('C0PROD', threadTs)
        .filter((m) => m.ts !== threadTs)
        .map(visibleText)
        .join('\n'),
    async stop() {
      for (const [child, exited] of [...children]) {
        child.kill('SIGKILL');
        await exited;
      }
      await store?.close();
      await slack.stop();
      await sim.sim.stop();
    },
  };
  return world;
}

/** How many audit entries of each kind. */
export const auditKinds = (entries: AuditEntry[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const e of entries) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
};

export interface InboxRow {
  delivery_id: string;
  kind: string;
  claimed_by: string | null;
  handled_at: number | null;
  attempts: number;
}

/** The inbox of a store file, read as another SQLite client would (the Store port does not list it). */
export function inboxRows(databaseUrl: string): InboxRow[] {
  const db = new Database(databaseUrl.slice('sqlite://'.length), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT delivery_id, kind, claimed_by, handled_at, attempts FROM inbox ORDER BY received_at').all() as InboxRow[];
  } finally {
    db.close();
  }
}
