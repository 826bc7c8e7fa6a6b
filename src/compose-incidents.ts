import { ClusterDirectory } from './adapters/kube/clusters.js';
import { KubeWorkloadWatch } from './adapters/kube/workload-watch.js';
import { PagerDutyEvents } from './adapters/pagerduty/events.js';
import { PagerDutyRest } from './adapters/pagerduty/rest.js';
import type { ClusterServices } from './compose.js';
import type { Config } from './config.js';
import { alertmanagerRoute } from './http/alertmanager.js';
import { pagerDutyWebhookRoute, type PagerDutyWebhook } from './http/pagerduty-webhook.js';
import type { Route } from './http/routes.js';
import type { Logger } from './log.js';
import type { Clock, IncidentChat, OnCallDirectory, Store, WatchState } from './ports.js';
import { alertResolver } from './services/alert-targets.js';
import type { Approvals } from './services/approvals.js';
import { IncidentService, type AlertResolver } from './services/incidents.js';
import { OutboxRelay } from './services/outbox-relay.js';
import { RolloutWatcher } from './services/watcher.js';

const WATCH_DEBOUNCE_SECONDS = 30;
const WATCH_RECHECK_MS = 5_000;

/** PagerDuty's webhook event types as the incident's events. */
function pagerEvent(w: PagerDutyWebhook) {
  const by = w.event.agent?.summary ?? 'PagerDuty';
  switch (w.event.event_type) {
    case 'incident.acknowledged':
      return { kind: 'acknowledged' as const, by, via: 'pagerduty' as const };
    case 'incident.resolved':
    case 'incident.escalated':
    case 'incident.reassigned':
    case 'incident.annotated':
      return { kind: 'pager-update' as const, what: w.event.event_type.slice('incident.'.length) as 'resolved' | 'escalated' | 'reassigned' | 'annotated', by, detail: w.event.data.content ?? w.event.data.title ?? '' };
    default:
      return undefined;
  }
}

/**
 * The incident half of `serve`: the service, its intake routes (Alertmanager,
 * PagerDuty webhooks), the built-in watcher of each cluster's
 * `incidents.watchNamespaces`, and the leader work a tick runs (the outbox
 * relay, due timers).
 */
export class IncidentComposition {
  readonly routes: Route[];
  private service?: IncidentService;
  private relay?: OutboxRelay;
  private readonly watchers: RolloutWatcher[] = [];
  private readonly directory?: OnCallDirectory;
  private readonly resolver: AlertResolver;

  constructor(
    private readonly d: {
      config: Config;
      store: Store;
      clusters: ClusterDirectory;
      core: ClusterServices;
      clock: Clock;
      log: Logger;
      holder: string;
      /** Whether this replica does the leader work now (the watcher is started and stopped with it). */
      isLeader: () => boolean;
    },
  ) {
    const { config, log } = d;
    const { apiUrl, apiToken, caFile } = config.pagerduty;
    this.resolver = alertResolver(d.clusters, d.clusters.names());
    if (apiToken) this.directory = new PagerDutyRest({ apiUrl, token: apiToken, ...(caFile ? { caFile } : {}) });
    // The routes are served before Slack is up; they reach the service once it exists.
    this.routes = [
      alertmanagerRoute(
        config.alertmanagerToken,
        async (w) => {
          await this.incidents().recordAlerts(w);
          // Answered once persisted; handled now, or by the next tick if this process dies first.
          void this.handleAlerts();
        },
        log,
      ),
      pagerDutyWebhookRoute(
        config.pagerduty.webhookSecret,
        async (w) => {
          const event = pagerEvent(w);
          const id = await this.incidentKeyOf(w);
          const delivery = { source: 'pagerduty' as const, id: w.webhookId, receivedAt: d.clock.now() };
          if (event && id) await this.incidents().act(id, event, delivery);
          else await d.store.recordWebhookDelivery(delivery);
        },
        log,
      ),
    ];
  }

  /** Our incident ID is the page's dedup key; a note's webhook names PagerDuty's incident only, which PagerDuty maps back. */
  private async incidentKeyOf(w: PagerDutyWebhook): Promise<string | undefined> {
    const { data } = w.event;
    if (data.incident_key) return data.incident_key;
    const pagerIncident = data.incident?.id;
    return pagerIncident && this.directory ? this.directory.incidentKeyOf(pagerIncident) : undefined;
  }

  /** Wires the service once the chat and the approvals exist (they need the Slack client). */
  connect(chat: IncidentChat, approvals: Approvals): IncidentService {
    const { config, store, clock, log, core, holder } = this.d;
    const pager = new PagerDutyEvents({ eventsUrl: config.pagerduty.eventsUrl, ...(config.pagerduty.caFile ? { caFile: config.pagerduty.caFile } : {}) });
    const relay = new OutboxRelay({ store, clock, chat, pager, policy: config.policy, ...(config.pagerduty.routingKey ? { defaultRoutingKey: config.pagerduty.routingKey } : {}), holder, log, active: this.d.isLeader });
    this.relay = relay;
    this.service = new IncidentService({ store, clock, policy: config.policy, reading: core.reading, approvals, log, ...(this.directory ? { onCall: this.directory } : {}), saved: () => relay.wake() });
    return this.service;
  }

  private incidents(): IncidentService {
    if (!this.service) throw new Error('the incident service is not connected yet');
    return this.service;
  }

  /** Starts a watcher per cluster over the policy's watchNamespaces (none: no watcher); each says "starting" until its first lists are in. */
  async startWatchers(): Promise<void> {
    const { config, clusters, clock, log } = this.d;
    const namespaces = config.policy.incidents.watchNamespaces;
    if (!namespaces.length) return;
    for (const cluster of clusters.names()) {
      const watch = new KubeWorkloadWatch(clusters.kubeConfig(cluster), namespaces, log);
      this.watchers.push(
        new RolloutWatcher({
          watch,
          clock,
          log,
          options: { cluster, debounceSeconds: WATCH_DEBOUNCE_SECONDS, recheckMs: WATCH_RECHECK_MS },
          onFailing: async (f) => {
            const first = f.signals[0]!;
            const summary = `${first.reason}${first.message ? `: ${first.message}` : ''}`.slice(0, 300);
            await this.incidents().detect({
              subject: { kind: 'rollout', cluster, namespace: f.target.namespace, deployment: f.target.name, revision: f.revision },
              detection: { source: 'watcher', severity: 'error', summary },
              target: f.target,
            });
          },
          onHealthy: (target) => this.incidents().recovered(target, 'the rollout completed and its pods are ready'),
        }),
      );
    }
    await Promise.all(this.watchers.map((w) => w.start()));
  }

  /** Each cluster's watcher and its state (none without watchNamespaces). */
  watching(): Array<{ cluster: string; state: WatchState }> {
    return this.watchers.map((w) => ({ cluster: w.cluster, state: w.state() }));
  }

  private handleAlerts(): Promise<void> {
    return this.incidents()
      .handleAlerts(this.resolver, this.d.holder)
      .catch((err: unknown) => this.d.log.error({ err }, 'could not handle recorded alerts; the next tick tries again'));
  }

  /** The leader's share of housekeeping: alerts left unhandled, due timers, the outbox. */
  async tick(): Promise<void> {
    if (!this.d.isLeader()) return;
    await this.handleAlerts();
    await this.incidents().fireDueTimers(this.d.holder);
    await this.relay?.drain();
  }

  /** At shutdown, after everything that writes incident changes has stopped: the outbox's delivery under way finishes. */
  async stopDelivering(): Promise<void> {
    await this.relay?.stop();
  }

  async stop(): Promise<void> {
    // Emptied, so that a replica elected again starts them afresh.
    await Promise.all(this.watchers.splice(0).map((w) => w.stop()));
  }
}
