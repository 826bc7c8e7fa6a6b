import type { ApprovalStatus } from '../../../domain/approval.js';
import type { Logger } from '../../../log.js';
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
  OutboxDestination,
  OutboxMessage,
  ProposalChange,
  ProposalChangeResult,
  ProposalRecord,
  Store,
  StoreCounts,
  TimelineEntry,
  TimerRecord,
  WebhookDelivery,
} from '../../../ports.js';
import { appendAudit, listAudit } from './audit.js';
import { PostgresConnection } from './connection.js';
import { PostgresExecutions } from './executions.js';
import { PostgresInbox } from './inbox.js';
import { PostgresIncidents } from './incidents.js';
import { PostgresIntake, recordWebhookDelivery } from './intake.js';
import { migrate } from './migrations.js';
import { PostgresOutbox } from './outbox.js';
import { PostgresProposals } from './proposals.js';
import { listTimeline } from './timeline.js';
import { claimDueTimers, fireTimer } from './timers.js';

/**
 * The Store on a PostgreSQL database shared by several replicas: the SQLite schema in
 * PostgreSQL's types, the same statements where they mean the same, and every claim a
 * row-locking conditional statement (FOR UPDATE SKIP LOCKED where a claim picks rows).
 * A lost connection fails the call (STORE) and the pool reconnects on the next one.
 */
export class PostgresStore implements Store {
  private readonly inbox: PostgresInbox;
  private readonly proposals: PostgresProposals;
  private readonly executions: PostgresExecutions;
  private readonly incidents: PostgresIncidents;
  private readonly intake: PostgresIntake;
  private readonly outbox: PostgresOutbox;

  private constructor(private readonly db: PostgresConnection) {
    this.inbox = new PostgresInbox(db);
    this.proposals = new PostgresProposals(db);
    this.executions = new PostgresExecutions(db);
    this.incidents = new PostgresIncidents(db);
    this.intake = new PostgresIntake(db);
    this.outbox = new PostgresOutbox(db);
  }

  /** Connects and migrates; a STORE MedicError says what is wrong and what to do. */
  static async open(url: string, log?: Logger): Promise<PostgresStore> {
    const db = new PostgresConnection(url, log);
    try {
      await migrate(db, () => Date.now());
    } catch (e) {
      await db.end();
      throw e;
    }
    return new PostgresStore(db);
  }

  recordDelivery(delivery: InboxDelivery): Promise<boolean> {
    return this.inbox.record(delivery);
  }
  claimDelivery(id: string, lease: Lease): Promise<InboxEntry | undefined> {
    return this.inbox.claim(id, lease);
  }
  claimUnhandled(lease: Lease, limit: number): Promise<InboxEntry[]> {
    return this.inbox.claimUnhandled(lease, limit);
  }
  markHandled(id: string, at: Date): Promise<boolean> {
    return this.inbox.markHandled(id, at);
  }
  renewDeliveries(lease: Lease): Promise<number> {
    return this.inbox.renew(lease);
  }

  createProposal(proposal: NewProposal, audit: NewAuditEntry[]): Promise<ProposalRecord> {
    return this.proposals.create(proposal, audit);
  }
  attachProposalMessage(id: string, messageTs: string): Promise<boolean> {
    return this.proposals.attachMessage(id, messageTs);
  }
  getProposal(id: string): Promise<ProposalRecord | undefined> {
    return this.proposals.get(id);
  }
  listProposalsByDeployment(ref: DeploymentTarget): Promise<ProposalRecord[]> {
    return this.proposals.listByDeployment(ref);
  }
  listProposalsInStatus(statuses: ApprovalStatus[]): Promise<ProposalRecord[]> {
    return this.proposals.listInStatus(statuses);
  }
  transitionProposal(id: string, fromVersion: number, change: ProposalChange): Promise<ProposalChangeResult> {
    return this.proposals.transition(id, fromVersion, change);
  }

  claimExecution(proposalId: string, lease: Lease): Promise<boolean> {
    return this.executions.claim(proposalId, lease);
  }
  leaseExecution(proposalId: string, lease: Lease): Promise<boolean> {
    return this.executions.lease(proposalId, lease);
  }
  recordDeploymentResult(proposalId: string, holder: string, ref: DeploymentRef, result: NonNullable<DeploymentExecution['result']>): Promise<boolean> {
    return this.executions.recordResult(proposalId, holder, ref, result);
  }
  saveVerification(proposalId: string, holder: string, ref: DeploymentRef, verification: NonNullable<DeploymentExecution['verification']>): Promise<boolean> {
    return this.executions.saveVerification(proposalId, holder, ref, verification);
  }
  getExecution(proposalId: string): Promise<ExecutionRecord | undefined> {
    return this.executions.get(proposalId);
  }
  listUnfinishedExecutions(): Promise<ExecutionRecord[]> {
    return this.executions.listUnfinished();
  }

  appendAudit(entries: NewAuditEntry[]): Promise<void> {
    return this.db.transaction((sql) => appendAudit(sql, entries));
  }
  listAudit(ref: DeploymentTarget): Promise<AuditEntry[]> {
    return listAudit(this.db, ref);
  }

  openOrMergeIncident(opening: IncidentOpening, now: Date): Promise<{ created: boolean; incident: IncidentRecord }> {
    return this.incidents.openOrMerge(opening, now);
  }
  getIncident(id: string): Promise<IncidentRecord | undefined> {
    return this.incidents.get(id);
  }
  findLiveIncident(fingerprint: string, now: Date): Promise<IncidentRecord | undefined> {
    return this.incidents.findLive(fingerprint, now);
  }
  listOpenIncidents(): Promise<IncidentRecord[]> {
    return this.incidents.listOpen();
  }
  listIncidentsByDeployment(ref: DeploymentTarget): Promise<IncidentRecord[]> {
    return this.incidents.listByDeployment(ref);
  }
  transitionIncident(id: string, fromVersion: number, change: IncidentChange): Promise<IncidentChangeResult> {
    return this.incidents.transition(id, fromVersion, change);
  }
  attachIncidentMessage(id: string, parentTs: string): Promise<boolean> {
    return this.incidents.attachMessage(id, parentTs);
  }
  listIncidentLinks(id: string): Promise<IncidentLink[]> {
    return this.incidents.listLinks(id);
  }
  listTimeline(incidentId: string): Promise<TimelineEntry[]> {
    return listTimeline(this.db, incidentId);
  }

  recordAlerts(alerts: AlertNotification[]): Promise<boolean[]> {
    return this.intake.recordAlerts(alerts);
  }
  claimAlerts(lease: Lease, limit: number): Promise<AlertEntry[]> {
    return this.intake.claimAlerts(lease, limit);
  }
  markAlertHandled(seq: number, at: Date): Promise<boolean> {
    return this.intake.markAlertHandled(seq, at);
  }
  recordWebhookDelivery(delivery: WebhookDelivery): Promise<boolean> {
    return recordWebhookDelivery(this.db, delivery);
  }

  claimDueTimers(lease: Lease, limit: number): Promise<TimerRecord[]> {
    return claimDueTimers(this.db, lease, limit);
  }
  markTimerFired(id: number, holder: string, at: Date): Promise<boolean> {
    return fireTimer(this.db, id, holder, at);
  }

  claimOutbox(lease: Lease, limit: number, destination?: OutboxDestination): Promise<OutboxMessage[]> {
    return this.outbox.claim(lease, limit, destination);
  }
  markOutboxDelivered(id: number, holder: string, at: Date): Promise<boolean> {
    return this.outbox.delivered(id, holder, at);
  }
  retryOutbox(id: number, holder: string, failure: { error: string; nextAttemptAt: Date }): Promise<boolean> {
    return this.outbox.retry(id, holder, failure);
  }
  failOutbox(id: number, holder: string, failure: { at: Date; error: string }): Promise<boolean> {
    return this.outbox.fail(id, holder, failure);
  }
  listOutbox(incidentId: string): Promise<OutboxMessage[]> {
    return this.outbox.list(incidentId);
  }

  async counts(): Promise<StoreCounts> {
    const [incidents, proposals, executions, outbox, outboxAttempts] = await Promise.all([
      this.db.rows<StoreCounts['incidents'][number]>('SELECT phase, COUNT(*) AS count FROM incidents GROUP BY phase ORDER BY phase COLLATE "C"'),
      this.db.rows<StoreCounts['proposals'][number]>('SELECT action, status, COUNT(*) AS count FROM proposals GROUP BY action, status ORDER BY action COLLATE "C", status COLLATE "C"'),
      this.db.rows<StoreCounts['executions'][number]>(
        'SELECT action, outcome, COUNT(*) AS count FROM proposals WHERE outcome IS NOT NULL GROUP BY action, outcome ORDER BY action COLLATE "C", outcome COLLATE "C"',
      ),
      this.db.rows<StoreCounts['outbox'][number]>('SELECT destination, status, COUNT(*) AS count FROM outbox GROUP BY destination, status ORDER BY destination COLLATE "C", status COLLATE "C"'),
      this.db.rows<StoreCounts['outboxAttempts'][number]>('SELECT destination, SUM(attempts) AS count FROM outbox GROUP BY destination ORDER BY destination COLLATE "C"'),
    ]);
    return { incidents, proposals, executions, outbox, outboxAttempts };
  }

  async heartbeat(holder: string, at: Date): Promise<void> {
    await this.db.run('INSERT INTO heartbeats (holder, beat_at) VALUES (@holder, @at) ON CONFLICT (holder) DO UPDATE SET beat_at = excluded.beat_at', { holder, at: at.getTime() });
  }

  close(): Promise<void> {
    return this.db.end();
  }
}
