import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { KubeLeaderLease } from './adapters/kube/lease.js';
import { loadKubeConfig } from './adapters/kube/kubeconfig.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { Clock, Store } from './ports.js';
import { LeaderElector, soleReplica, type Leadership, type LeaderWork } from './services/leader-election.js';

/**
 * Who does the leader work of `serve`. With leader election (the default with PostgreSQL), a
 * Lease in the cluster the bot runs in (in a pod: its own namespace; else the kubeconfig's
 * current context), held under the pod's name; a replica whose store fails its heartbeat
 * does not lead. Without (one replica on SQLite), this process leads from the start.
 */
export async function composeLeadership(config: Pick<Config, 'leaderElection' | 'kube'>, work: LeaderWork, d: { store: Store; clock: Clock; log: Logger; holder: string }): Promise<Leadership> {
  const election = config.leaderElection;
  if (!election.enabled) {
    await work.start();
    return soleReplica(work);
  }
  const kc = loadKubeConfig({ kubeconfig: config.kube.kubeconfig });
  const namespace = election.namespace ?? kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  // Outside a pod there is no pod name: the host name, made unique as client-go's users do.
  const identity = election.identity ?? `${hostname()}_${randomBytes(4).toString('hex')}`;
  const elector = new LeaderElector({
    lease: new KubeLeaderLease(kc, namespace, election.leaseName, election.renewDeadlineMs),
    clock: d.clock,
    log: d.log,
    options: { identity, leaseDurationMs: election.leaseDurationMs, renewDeadlineMs: election.renewDeadlineMs, retryPeriodMs: election.retryPeriodMs },
    work,
    canLead: () => d.store.heartbeat(d.holder, d.clock.now()),
  });
  d.log.info({ lease: `${namespace}/${election.leaseName}`, identity }, 'leader election: competing for the lease');
  elector.start();
  return elector;
}
