// ─── Leader election ─────────────────────────────────────────────────────────────────────
// What client-go's resourcelock.Interface is to its leader elector: one lock object, read and
// written with optimistic concurrency (a coordination.k8s.io/v1 Lease, in Kubernetes).

/** client-go's LeaderElectionRecord: who holds the lock, since when, for how long. */
export interface LeaderRecord {
  /** Empty once released. */
  holderIdentity: string;
  /** How long others must wait after they last saw the record change before taking over. */
  leaseDurationSeconds: number;
  acquireTime: Date;
  renewTime: Date;
  leaderTransitions: number;
}

export interface LeaderLease {
  /** The record as it is now, with the version to update it from; undefined when there is no lock yet. */
  get(): Promise<{ record: LeaderRecord; version: string } | undefined>;
  /** Creates the lock; a CONFLICT MedicError when another created it first. */
  create(record: LeaderRecord): Promise<void>;
  /** Replaces the record if the lock is still at `version`; a CONFLICT MedicError when it moved on. */
  update(record: LeaderRecord, version: string): Promise<void>;
  /** namespace/name, for logs. */
  describe(): string;
}
