import { randomBytes } from 'node:crypto';
import type { Policy } from '../config/policy.js';
import type { Alert, AlertmanagerWebhook } from '../domain/alertmanager.js';
import { SYSTEM_ACTOR } from '../domain/audit.js';
import type { IncidentTerms } from '../domain/escalation.js';
import type { Severity } from '../domain/finding.js';
import { followedIncident, incidentFingerprint, openIncident, transition, type Detection, type FixEvent, type IncidentEvent, type IncidentSubject } from '../domain/incident.js';
import type { IncidentReport } from '../domain/incident-report.js';
import type { Logger } from '../log.js';
import { toMedicError } from '../errors.js';
import type { Clock, DeploymentTarget, IncidentRecord, NewOutboxMessage, OnCallDirectory, OnCallEntry, Store, TimelineEntry, WebhookDelivery } from '../ports.js';
import type { Approvals } from './approvals.js';
import { saveIncidentTransition, slackMessage, writesOf } from './incident-writes.js';
import { storedIncidentReport } from './incident-report.js';
import type { ReadingService } from './reading.js';

/** The deployment (and its current revision) an alert is about, or undefined when its labels name none. */
export type AlertResolver = (alert: Alert) => Promise<{ target: DeploymentTarget; revision: number } | undefined>;

export interface DetectInput {
  subject: IncidentSubject;
  detection: Detection;
  /** The deployment, for a rollout's incident: what gets diagnosed and rolled back. */
  target?: DeploymentTarget;
}

const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

/** Short enough to type in `/deploy incident ID`, long enough never to collide. */
const newIncidentId = () => `inc-${randomBytes(5).toString('hex')}`;

export type ActResult = { ok: true; incident: IncidentRecord } | { ok: false; reason: string };

/** Who is on call for an incident's page, asked of PagerDuty when it is shown. */
export type OnCallAnswer =
  | { kind: 'known'; entries: OnCallEntry[] }
  /** Nothing is paged now (or it was resolved there), or the bot has no PagerDuty REST access. */
  | { kind: 'not-asked'; why: 'not-paged' | 'no-directory' }
  | { kind: 'unavailable'; reason: string };

/** What Slack commands and buttons need of incidents: read them, and act on one as a person. */
export interface Incidents {
  /** What a person (or PagerDuty) does to an incident; the reason when it is refused. */
  act(incidentId: string, event: IncidentEvent, delivery?: WebhookDelivery): Promise<ActResult>;
  get(incidentId: string): Promise<IncidentRecord | undefined>;
  /** Not resolved, oldest first, as of the service's clock (for their age). */
  listOpen(): Promise<{ incidents: IncidentRecord[]; asOf: Date }>;
  /** In time order. */
  timeline(incidentId: string): Promise<TimelineEntry[]>;
  /** The post-incident report (seed 001, step 7); undefined when there is no such incident. */
  report(incidentId: string): Promise<IncidentReport | undefined>;
  onCall(incident: IncidentRecord): Promise<OnCallAnswer>;
}

/**
 * Incidents: one per failing rollout, whatever reports it (the watcher,
 * Alertmanager, both, a storm of either). The machine (domain/incident)
 * decides; the store's open-or-merge and compare-and-set make each decision
 * once across replicas, and writes the timeline, the outbox (Slack and
 * PagerDuty messages) and timers in the same transaction; relays deliver.
 */
export class IncidentService implements Incidents {
  constructor(
    private readonly deps: {
      store: Store;
      clock: Clock;
      policy: Pick<Policy, 'incidents' | 'escalation'>;
      reading: ReadingService;
      approvals: Approvals;
      log: Logger;
      /** PagerDuty's REST API (PAGERDUTY_API_TOKEN); without it nobody is looked up. */
      onCall?: OnCallDirectory;
      /** Told after each saved change: its outbox messages (the thread, the page) go out now, not at the next tick. */
      saved?: () => void;
    },
  ) {}

  private terms(): IncidentTerms {
    const { escalation, incidents } = this.deps.policy;
    return { pageImmediately: escalation.pageImmediately, unansweredMinutes: escalation.unansweredMinutes, reopenGraceMinutes: incidents.reopenGraceMinutes };
  }

  /** Opens the incident, or merges the report into the live one for the same fingerprint. */
  async detect(input: DetectInput): Promise<{ incident: IncidentRecord; created: boolean }> {
    const { store, clock, policy } = this.deps;
    const now = clock.now();
    const opened = openIncident(input.subject, input.detection, this.terms(), now);
    const earlier = input.target ? followedIncident(input.subject, await store.listIncidentsByDeployment(input.target)) : undefined;
    const id = newIncidentId();
    const { created, incident } = await store.openOrMergeIncident(
      {
        incident: { ...opened.state, id, fingerprint: incidentFingerprint(input.subject), ...(policy.incidents.channel ? { channel: policy.incidents.channel } : {}) },
        links: earlier ? [{ to: earlier.id, kind: 'follows' }] : [],
        ...writesOf(opened.effects, now),
      },
      now,
    );
    this.deps.saved?.();
    if (!created) return { incident: (await this.apply(incident, { kind: 'detected', detection: input.detection })) ?? incident, created };
    if (input.target) await this.investigate(incident, input.target).catch((err: unknown) => this.deps.log.error({ err, incident: id }, 'could not diagnose a new incident'));
    return { incident, created };
  }

  /** A new rollout incident: its diagnosis in the thread and, where a healthy revision exists, a rollback for people to approve. */
  private async investigate(incident: IncidentRecord, target: DeploymentTarget): Promise<void> {
    const { reading, approvals, clock } = this.deps;
    const report = await reading.diagnose(target);
    const top = report.findings[0];
    const diagnosis = slackMessage({ kind: 'diagnosis', report }, clock.now());
    const diagnosed = await this.apply(
      incident,
      top ? { kind: 'diagnosed', severity: top.severity, rootCause: top.code, summary: top.title } : { kind: 'note', by: SYSTEM_ACTOR, text: 'The diagnosis found no root cause; see it in the thread.' },
      [diagnosis],
    );
    const current = diagnosed ?? (await this.apply(incident, { kind: 'note', by: SYSTEM_ACTOR, text: 'Diagnosis attached.' }, [diagnosis])) ?? incident;
    const healthy = report.lastHealthyRevision;
    if (healthy === null || healthy >= report.deployment.revision) return;
    const proposal = await approvals.propose({ targets: [target], request: { kind: 'rollback', toRevision: healthy }, requestedBy: SYSTEM_ACTOR, channel: incident.channel ?? '' });
    await this.apply(current, { kind: 'fix-proposed', proposalId: proposal.id, by: SYSTEM_ACTOR }, [slackMessage({ kind: 'proposal', proposalId: proposal.id }, clock.now())]);
  }

  /** An Alertmanager notification, persisted (duplicates recognised): once this returns, the alerts are not lost. */
  async recordAlerts(webhook: AlertmanagerWebhook): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.recordAlerts(
      webhook.alerts.map((a) => ({ groupKey: webhook.groupKey, fingerprint: a.fingerprint, status: a.status, startsAt: new Date(a.startsAt), payload: { groupKey: webhook.groupKey, alert: a }, receivedAt: now, ...(a.status === 'resolved' ? { endsAt: new Date(a.endsAt) } : {}) })),
    );
  }

  /**
   * Each recorded alert handled once: claimed with a lease, so a process that dies handling one
   * leaves it to the next claimer (the housekeeping tick) once the lease runs out.
   */
  async handleAlerts(resolveSubject: AlertResolver, holder: string): Promise<void> {
    const { store, clock } = this.deps;
    for (let batch = await store.claimAlerts({ holder, now: clock.now(), leaseMs: 30_000 }, 100); batch.length; batch = await store.claimAlerts({ holder, now: clock.now(), leaseMs: 30_000 }, 100)) {
      for (const entry of batch) {
        const { groupKey, alert } = entry.payload as { groupKey: string; alert: Alert };
        await this.alert(groupKey, alert, resolveSubject);
        await store.markAlertHandled(entry.seq, clock.now());
      }
    }
  }

  private async alert(groupKey: string, alert: Alert, resolveSubject: AlertResolver): Promise<void> {
    if (alert.status === 'resolved') {
      for (const incident of await this.deps.store.listOpenIncidents()) {
        if (incident.firingAlerts.includes(alert.fingerprint)) await this.apply(incident, { kind: 'alert-resolved', alert: alert.fingerprint });
      }
      return;
    }
    const rollout = await resolveSubject(alert);
    const severity = SEVERITIES.find((s) => s === alert.labels.severity) ?? 'error';
    const summary = alert.annotations.summary ?? alert.annotations.description ?? alert.labels.alertname ?? 'Alertmanager alert';
    const detection: Detection = { source: 'alertmanager', severity, summary, alert: alert.fingerprint };
    if (!rollout) return void (await this.detect({ subject: { kind: 'alert-group', groupKey }, detection }));
    const { target, revision } = rollout;
    await this.detect({ subject: { kind: 'rollout', cluster: target.cluster, namespace: target.namespace, deployment: target.name, revision }, detection, target });
  }

  /** A proposal made for an incident moved on: its phase follows. */
  async fixEvent(event: FixEvent): Promise<void> {
    const incident = (await this.deps.store.listOpenIncidents()).find((i) => i.fix?.proposalId === event.proposalId);
    if (incident) await this.apply(incident, event);
  }

  /** The watcher sees the rollout healthy again. */
  async recovered(target: DeploymentTarget, detail: string): Promise<void> {
    for (const incident of await this.deps.store.listIncidentsByDeployment(target)) {
      if (!incident.resolved) await this.apply(incident, { kind: 'recovered', detail });
    }
  }

  get(incidentId: string): Promise<IncidentRecord | undefined> {
    return this.deps.store.getIncident(incidentId);
  }

  async listOpen(): Promise<{ incidents: IncidentRecord[]; asOf: Date }> {
    return { incidents: await this.deps.store.listOpenIncidents(), asOf: this.deps.clock.now() };
  }

  timeline(incidentId: string): Promise<TimelineEntry[]> {
    return this.deps.store.listTimeline(incidentId);
  }

  report(incidentId: string): Promise<IncidentReport | undefined> {
    return storedIncidentReport(this.deps.store, incidentId);
  }

  async onCall(incident: IncidentRecord): Promise<OnCallAnswer> {
    const { onCall, log } = this.deps;
    if (!onCall) return { kind: 'not-asked', why: 'no-directory' };
    if (!incident.pages.length) return { kind: 'not-asked', why: 'not-paged' };
    try {
      return { kind: 'known', entries: await onCall.forIncident(incident.id) };
    } catch (e) {
      const err = toMedicError(e, 'PAGER_API');
      log.warn({ err, incident: incident.id }, 'could not ask PagerDuty who is on call');
      return { kind: 'unavailable', reason: err.message };
    }
  }

  /** What a person (or PagerDuty) does to an incident; the reason when it is refused. */
  async act(incidentId: string, event: IncidentEvent, delivery?: WebhookDelivery): Promise<ActResult> {
    const incident = await this.deps.store.getIncident(incidentId);
    if (!incident) {
      if (delivery) await this.deps.store.recordWebhookDelivery(delivery);
      return { ok: false, reason: `there is no incident ${incidentId}` };
    }
    return this.applyOrSay(incident, event, delivery);
  }

  /** Due timers (an unanswered incident, a grace period's end), each fired once across replicas. */
  async fireDueTimers(holder: string): Promise<void> {
    const { store, clock } = this.deps;
    for (const timer of await store.claimDueTimers({ holder, now: clock.now(), leaseMs: 30_000 }, 50)) {
      const incident = await store.getIncident(timer.incidentId);
      const now = clock.now();
      const t = incident && transition(incident, { kind: 'timer-due', timer: timer.kind, dueAt: timer.dueAt }, now);
      if (incident && t?.accepted) {
        await saveIncidentTransition(store, incident, t, now, { firedTimer: { id: timer.id, holder, at: now } });
        this.deps.saved?.();
      } else await store.markTimerFired(timer.id, holder, now);
    }
  }

  /** One event through the machine and the store, reloading when another writer won. */
  private async applyOrSay(
    incident: IncidentRecord,
    event: IncidentEvent,
    delivery?: WebhookDelivery,
    outbox: NewOutboxMessage[] = [],
  ): Promise<{ ok: true; incident: IncidentRecord } | { ok: false; reason: string }> {
    const { store, clock } = this.deps;
    let current: IncidentRecord | undefined = incident;
    for (let attempt = 0; current && attempt < 5; attempt++) {
      const now = clock.now();
      const t = transition(current, event, now);
      if (!t.accepted) {
        if (delivery) await store.recordWebhookDelivery(delivery);
        return { ok: false, reason: t.reason };
      }
      const saved = await saveIncidentTransition(store, current, t, now, { outbox, ...(delivery ? { delivery } : {}) });
      if (saved.won) {
        this.deps.saved?.();
        return { ok: true, incident: saved.record };
      }
      if (saved.reason === 'duplicate-delivery') return { ok: false, reason: 'this webhook was delivered before' };
      current = await store.getIncident(current.id);
    }
    return { ok: false, reason: 'the incident kept changing; try again' };
  }

  /** As applyOrSay, for the bot's own events: the saved record, or undefined when the machine refused. */
  private async apply(incident: IncidentRecord, event: IncidentEvent, outbox: NewOutboxMessage[] = []): Promise<IncidentRecord | undefined> {
    const r = await this.applyOrSay(incident, event, undefined, outbox);
    return r.ok ? r.incident : undefined;
  }
}
