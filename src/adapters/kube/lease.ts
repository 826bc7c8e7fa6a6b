import type { KubeConfig } from '@kubernetes/client-node';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { MedicError } from '../../errors.js';
import type { LeaderLease, LeaderRecord } from '../../ports.js';
import { KubeJsonReader, statusError } from './json-reader.js';

/**
 * A coordination.k8s.io/v1 Lease as the leader-election lock, as client-go's LeaseLock
 * keeps it: read with GET, created with POST, and replaced with PUT carrying the
 * resourceVersion it was read at, so a stale writer gets 409 Conflict. The Lease last read
 * is kept and written back whole, so labels and annotations others set survive.
 * Times go out as RFC 3339 with microseconds (metav1.MicroTime): the apiserver refuses
 * anything else, which is why this does not use client-node's typed client.
 */
export class KubeLeaderLease implements LeaderLease {
  private readonly reader: KubeJsonReader;
  private last?: Lease;

  constructor(
    kc: KubeConfig,
    private readonly namespace: string,
    private readonly name: string,
    timeoutMs: number,
  ) {
    this.reader = new KubeJsonReader(kc, kc.getCurrentCluster()!.server, timeoutMs);
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }

  private get collection(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.namespace)}/leases`;
  }

  async get(): Promise<{ record: LeaderRecord; version: string } | undefined> {
    try {
      this.last = await this.reader.get<Lease>(`${this.collection}/${encodeURIComponent(this.name)}`, {}, `lease ${this.describe()}`);
    } catch (e) {
      if (e instanceof MedicError && e.code === 'NOT_FOUND') return undefined;
      throw e;
    }
    return { record: recordOf(this.last), version: this.last.metadata?.resourceVersion ?? '' };
  }

  async create(record: LeaderRecord): Promise<void> {
    const body: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec: specOf(record) };
    this.last = await this.write('POST', this.collection, body);
  }

  async update(record: LeaderRecord, version: string): Promise<void> {
    const base = this.last ?? { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace } };
    const body: Lease = { ...base, metadata: { ...base.metadata, resourceVersion: version }, spec: specOf(record) };
    this.last = await this.write('PUT', `${this.collection}/${encodeURIComponent(this.name)}`, body);
  }

  private async write(method: 'POST' | 'PUT', path: string, body: Lease): Promise<Lease> {
    const what = `lease ${this.describe()}`;
    const answer = await this.reader.send(method, path, {}, body, what);
    if (answer.status < 200 || answer.status >= 300) throw statusError(answer.status, answer.body, what);
    return JSON.parse(answer.body) as Lease;
  }
}

/** metav1.MicroTime's JSON: RFC 3339 in UTC with exactly six fractional digits. */
export const microTime = (d: Date): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

function specOf(r: LeaderRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: microTime(r.acquireTime),
    renewTime: microTime(r.renewTime),
    leaseTransitions: r.leaderTransitions,
  };
}

/** A Lease someone else wrote may lack fields: client-go reads them as zero values. */
function recordOf(lease: Lease): LeaderRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: new Date(s.acquireTime ?? 0),
    renewTime: new Date(s.renewTime ?? 0),
    leaderTransitions: s.leaseTransitions ?? 0,
  };
}
