import { toMedicError } from './errors.js';
import type { ReadinessCheck } from './http/routes.js';
import type { Clock, Cluster, Store, WatchState } from './ports.js';

/** A probe waits this long for each dependency: a hung one is "not ready", never a hung probe. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(name: string, probe: () => Promise<unknown>): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
  try {
    await Promise.race([probe(), timeout]);
    return { name };
  } catch (e) {
    return { name, problem: toMedicError(e).message };
  } finally {
    clearTimeout(timer);
  }
}

const WATCH_PROBLEMS: Record<Exclude<WatchState, 'watching'>, string> = {
  starting: 'starting (listing deployments, replica sets and pods)',
  're-listing': 'not watching (re-listing after a failed or silent watch)',
};

/**
 * What /readyz checks, all at once: Slack connected, every cluster's API
 * server answering, the store taking a write, and each cluster's watcher
 * watching (when incidents.watchNamespaces asks for one).
 */
export function readinessChecks(d: {
  slackReady: () => boolean;
  clusters: { names(): string[]; get(name: string): Cluster };
  store: Store;
  clock: Clock;
  holder: string;
  watchers: () => Array<{ cluster: string; state: WatchState }>;
}): () => Promise<ReadinessCheck[]> {
  return async () => [
    d.slackReady() ? { name: 'slack' } : { name: 'slack', problem: 'not connected' },
    ...(await Promise.all(d.clusters.names().map((name) => check(`cluster ${name}`, () => d.clusters.get(name).serverVersion())))),
    await check('store', () => d.store.heartbeat(d.holder, d.clock.now())),
    ...d.watchers().map((w) => ({ name: `watcher ${w.cluster}`, ...(w.state === 'watching' ? {} : { problem: WATCH_PROBLEMS[w.state] }) })),
  ];
}
