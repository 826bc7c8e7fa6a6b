import type Database from 'better-sqlite3';
import type { ApprovalStatus } from '../../../domain/approval.js';
import type {
  AlertEntry,
  AlertNotification,
  AuditEntry,
  DeploymentExecution,
  DeploymentRef,
  DeploymentTarget,
  ExecutionRecord,
  IncidentChange,
  IncidentChangeResult,
  IncidentLink,
  IncidentOpening,
  IncidentRecord,
  InboxDelivery,
  InboxEntry,
  Lease,
  NewAuditEntry,
  NewProposal,
  ProposalChange,
  ProposalChangeResult,
  OutboxDestination,
  OutboxMessage,
  ProposalRecord,
  Store,
  StoreCounts,
  TimelineEntry,
  TimerRecord,
  WebhookDelivery,
} from '../../../ports.js';
import { SqliteAudit } from './audit.js';
import { openDatabase, storeError } from './connection.js';
import { SqliteExecutions } from './executions.js';
import { SqliteInbox } from './inbox.js';
import { SqliteIncidents } from './incidents.js';
import { SqliteIntake } from './intake.js';
import { SqliteOutbox } from './outbox.js';
import { SqliteProposals } from './proposals.js';
import { SqliteTimeline } from './timeline.js';
import { SqliteTimers } from './timers.js';

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
  private readonly incidents: SqliteIncidents;
  private readonly timeline: SqliteTimeline;
  private readonly intake: SqliteIntake;
  private readonly timers: SqliteTimers;
  private readonly outbox: SqliteOutbox;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
  ) {
    this.inbox = new SqliteInbox(db);
    this.audit = new SqliteAudit(db);
    this.proposals = new SqliteProposals(db, this.audit);
    this.executions = new SqliteExecutions(db);
    this.timeline = new SqliteTimeline(db);
    this.intake = new SqliteIntake(db);
    this.timers = new SqliteTimers(db);
    this.outbox = new SqliteOutbox(db);
    this.incidents = new SqliteIncidents(db, { timeline: this.timeline, timers: this.timers, outbox: this.outbox, intake: this.intake });
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

  openOrMergeIncident(opening: IncidentOpening, now: Date): Promise<{ created: boolean; incident: IncidentRecord }> {
    return this.run(() => this.incidents.openOrMerge(opening, now));
  }
  getIncident(id: string): Promise<IncidentRecord | undefined> {
    return this.run(() => this.incidents.get(id));
  }
  findLiveIncident(fingerprint: string, now: Date): Promise<IncidentRecord | undefined> {
    return this.run(() => this.incidents.findLive(fingerprint, now));
  }
  listOpenIncidents(): Promise<IncidentRecord[]> {
    return this.run(() => this.incidents.listOpen());
  }
  listIncidentsByDeployment(ref: DeploymentTarget): Promise<IncidentRecord[]> {
    return this.run(() => this.incidents.listByDeployment(ref));
  }
  transitionIncident(id: string, fromVersion: number, change: IncidentChange): Promise<IncidentChangeResult> {
    return this.run(() => this.incidents.transition(id, fromVersion, change));
  }
  attachIncidentMessage(id: string, parentTs: string): Promise<boolean> {
    return this.run(() => this.incidents.attachMessage(id, parentTs));
  }
  listIncidentLinks(id: string): Promise<IncidentLink[]> {
    return this.run(() => this.incidents.listLinks(id));
  }
  listTimeline(incidentId: string): Promise<TimelineEntry[]> {
    return this.run(() => this.timeline.list(incidentId));
  }

  recordAlerts(alerts: AlertNotification[]): Promise<boolean[]> {
    return this.run(() => this.intake.recordAlerts(alerts));
  }
  claimAlerts(lease: Lease, limit: number): Promise<AlertEntry[]> {
    return this.run(() => this.intake.claimAlerts(lease, limit));
  }
  markAlertHandled(seq: number, at: Date): Promise<boolean> {
    return this.run(() => this.intake.markAlertHandled(seq, at));
  }
  recordWebhookDelivery(delivery: WebhookDelivery): Promise<boolean> {
    return this.run(() => this.intake.recordDelivery(delivery));
  }

  claimDueTimers(lease: Lease, limit: number): Promise<TimerRecord[]> {
    return this.run(() => this.timers.claimDue(lease, limit));
  }
  markTimerFired(id: number, holder: string, at: Date): Promise<boolean> {
    return this.run(() => this.timers.fire(id, holder, at));
  }

  claimOutbox(lease: Lease, limit: number, destination?: OutboxDestination): Promise<OutboxMessage[]> {
    return this.run(() => this.outbox.claim(lease, limit, destination));
  }
  markOutboxDelivered(id: number, holder: string, at: Date): Promise<boolean> {
    return this.run(() => this.outbox.delivered(id, holder, at));
  }
  retryOutbox(id: number, holder: string, failure: { error: string; nextAttemptAt: Date }): Promise<boolean> {
    return this.run(() => this.outbox.retry(id, holder, failure));
  }
  failOutbox(id: number, holder: string, failure: { at: Date; error: string }): Promise<boolean> {
    return this.run(() => this.outbox.fail(id, holder, failure));
  }
  listOutbox(incidentId: string): Promise<OutboxMessage[]> {
    return this.run(() => this.outbox.list(incidentId));
  }

  counts(): Promise<StoreCounts> {
    return this.run(() => ({
      incidents: this.db.prepare('SELECT phase, COUNT(*) AS count FROM incidents GROUP BY phase ORDER BY phase').all() as StoreCounts['incidents'],
      proposals: this.db.prepare('SELECT action, status, COUNT(*) AS count FROM proposals GROUP BY action, status ORDER BY action, status').all() as StoreCounts['proposals'],
      executions: this.db.prepare('SELECT action, outcome, COUNT(*) AS count FROM proposals WHERE outcome IS NOT NULL GROUP BY action, outcome ORDER BY action, outcome').all() as StoreCounts['executions'],
      outbox: this.db.prepare('SELECT destination, status, COUNT(*) AS count FROM outbox GROUP BY destination, status ORDER BY destination, status').all() as StoreCounts['outbox'],
      outboxAttempts: this.db.prepare('SELECT destination, SUM(attempts) AS count FROM outbox GROUP BY destination ORDER BY destination').all() as StoreCounts['outboxAttempts'],
    }));
  }

  heartbeat(holder: string, at: Date): Promise<void> {
    return this.run(() => {
      this.db.prepare('INSERT INTO heartbeats (holder, beat_at) VALUES (?, ?) ON CONFLICT (holder) DO UPDATE SET beat_at = excluded.beat_at').run(holder, at.getTime());
    });
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
