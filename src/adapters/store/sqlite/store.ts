import type Database from 'better-sqlite3';
import type { ApprovalStatus } from '../../../domain/approval.js';
import type {
  AuditEntry,
  DeploymentExecution,
  DeploymentRef,
  DeploymentTarget,
  ExecutionRecord,
  InboxDelivery,
  InboxEntry,
  Lease,
  NewAuditEntry,
  NewProposal,
  ProposalChange,
  ProposalChangeResult,
  ProposalRecord,
  Store,
} from '../../../ports.js';
import { SqliteAudit } from './audit.js';
import { openDatabase, storeError } from './connection.js';
import { SqliteExecutions } from './executions.js';
import { SqliteInbox } from './inbox.js';
import { SqliteProposals } from './proposals.js';

/**
 * The Store on one SQLite file. better-sqlite3 is synchronous; the port is async so that the
 * PostgreSQL store fits behind it. Several processes may open the same file: every claim is a
 * conditional statement, and every write transaction takes the write lock up front (immediate).
 */
export class SqliteStore implements Store {
  private readonly inbox: SqliteInbox;
  private readonly audit: SqliteAudit;
  private readonly proposals: SqliteProposals;
  private readonly executions: SqliteExecutions;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {
    this.inbox = new SqliteInbox(db);
    this.audit = new SqliteAudit(db);
    this.proposals = new SqliteProposals(db, this.audit);
    this.executions = new SqliteExecutions(db);
  }

  /** Opens and migrates the file; a STORE MedicError says what is wrong with it and what to do. */
  static open(path: string): SqliteStore {
    const db = openDatabase(path);
    return new SqliteStore(db, db.name);
  }

  recordDelivery(delivery: InboxDelivery): Promise<boolean> {
    return this.run(() => this.inbox.record(delivery));
  }
  claimDelivery(id: string, lease: Lease): Promise<InboxEntry | undefined> {
    return this.run(() => this.inbox.claim(id, lease));
  }
  claimUnhandled(lease: Lease, limit: number): Promise<InboxEntry[]> {
    return this.run(() => this.inbox.claimUnhandled(lease, limit));
  }
  markHandled(id: string, at: Date): Promise<boolean> {
    return this.run(() => this.inbox.markHandled(id, at));
  }
  renewDeliveries(lease: Lease): Promise<number> {
    return this.run(() => this.inbox.renew(lease));
  }

  createProposal(proposal: NewProposal, audit: NewAuditEntry[]): Promise<ProposalRecord> {
    return this.run(() => this.proposals.create(proposal, audit));
  }
  attachProposalMessage(id: string, messageTs: string): Promise<boolean> {
    return this.run(() => this.proposals.attachMessage(id, messageTs));
  }
  getProposal(id: string): Promise<ProposalRecord | undefined> {
    return this.run(() => this.proposals.get(id));
  }
  listProposalsByDeployment(ref: DeploymentTarget): Promise<ProposalRecord[]> {
    return this.run(() => this.proposals.listByDeployment(ref));
  }
  listProposalsInStatus(statuses: ApprovalStatus[]): Promise<ProposalRecord[]> {
    return this.run(() => this.proposals.listInStatus(statuses));
  }
  transitionProposal(id: string, fromVersion: number, change: ProposalChange): Promise<ProposalChangeResult> {
    return this.run(() => this.proposals.transition(id, fromVersion, change));
  }

  claimExecution(proposalId: string, lease: Lease): Promise<boolean> {
    return this.run(() => this.executions.claim(proposalId, lease));
  }
  leaseExecution(proposalId: string, lease: Lease): Promise<boolean> {
    return this.run(() => this.executions.lease(proposalId, lease));
  }
  recordDeploymentResult(proposalId: string, holder: string, ref: DeploymentRef, result: NonNullable<DeploymentExecution['result']>): Promise<boolean> {
    return this.run(() => this.executions.recordResult(proposalId, holder, ref, result));
  }
  saveVerification(proposalId: string, holder: string, ref: DeploymentRef, verification: NonNullable<DeploymentExecution['verification']>): Promise<boolean> {
    return this.run(() => this.executions.saveVerification(proposalId, holder, ref, verification));
  }
  getExecution(proposalId: string): Promise<ExecutionRecord | undefined> {
    return this.run(() => this.executions.get(proposalId));
  }
  listUnfinishedExecutions(): Promise<ExecutionRecord[]> {
    return this.run(() => this.executions.listUnfinished());
  }

  appendAudit(entries: NewAuditEntry[]): Promise<void> {
    return this.run(() => this.db.transaction(() => this.audit.append(entries)).immediate());
  }
  listAudit(ref: DeploymentTarget): Promise<AuditEntry[]> {
    return this.run(() => this.audit.list(ref));
  }

  close(): Promise<void> {
    return this.run(() => {
      if (this.db.open) this.db.close();
    });
  }

  /** Every call answers asynchronously and fails as a MedicError naming the file. */
  private async run<T>(work: () => T): Promise<T> {
    try {
      return work();
    } catch (e) {
      throw storeError(this.path, e);
    }
  }
}
