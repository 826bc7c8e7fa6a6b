import type { StoreCounts } from '../ports.js';
import type { ReadingService } from '../services/reading.js';

/**
 * The bot's Prometheus metrics (text exposition format 0.0.4): what this
 * process did, kept in memory (commands, buttons, diagnoses, Slack 429s),
 * and what the store holds, read at each scrape (incidents, proposals and
 * their outcomes, the outbox), so every replica reports the same facts.
 */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
/** `{k="v",...}`, or nothing for no labels. */
const labels = (l: Record<string, string>) => (Object.keys(l).length ? `{${Object.entries(l).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '');

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly histograms = new Map<string, { help: string; values: Map<string, Histogram> }>();
  private readonly startedAt = Date.now() / 1000;

  commandFinished(command: string, outcome: string, seconds: number): void {
    this.inc('deploy_medic_commands_total', '/deploy commands handled, by subcommand and outcome.', { command, outcome });
    this.observe('deploy_medic_command_duration_seconds', 'Time from the ack to the final answer of a /deploy command.', { command }, seconds);
  }

  actionFinished(action: string, outcome: string, seconds: number): void {
    this.inc('deploy_medic_actions_total', 'Button presses handled, by action and outcome.', { action, outcome });
    this.observe('deploy_medic_action_duration_seconds', 'Time from the ack to the final answer of a button press.', { action }, seconds);
  }

  diagnosisFinished(outcome: string, rootCause: string, seconds: number): void {
    this.inc('deploy_medic_diagnoses_total', 'Diagnoses run (commands, buttons, incidents), by outcome and root cause.', { outcome, root_cause: rootCause });
    this.observe('deploy_medic_diagnosis_duration_seconds', 'Time to collect and analyse one deployment.', {}, seconds);
  }

  slackRateLimited(method: string): void {
    this.inc('deploy_medic_slack_rate_limited_total', 'Slack Web API calls answered 429 (retried after Retry-After).', { method });
  }

  private inc(name: string, help: string, l: Record<string, string>): void {
    const c = this.counters.get(name) ?? { help, values: new Map() };
    const key = labels(l);
    c.values.set(key, (c.values.get(key) ?? 0) + 1);
    this.counters.set(name, c);
  }

  private observe(name: string, help: string, l: Record<string, string>, value: number): void {
    const h = this.histograms.get(name) ?? { help, values: new Map() };
    const key = labels(l);
    const v = h.values.get(key) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((b, i) => {
      if (value <= b) v.counts[i]!++;
    });
    v.sum += value;
    v.count++;
    h.values.set(key, v);
    this.histograms.set(name, h);
  }

  render(counts?: StoreCounts): string {
    const out = ['# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.', '# TYPE process_start_time_seconds gauge', `process_start_time_seconds ${this.startedAt}`];
    if (counts) out.push(...storeGauges(counts));
    for (const [name, c] of [...this.counters].sort()) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [key, v] of [...c.values].sort()) out.push(`${name}${key} ${v}`);
    }
    for (const [name, h] of [...this.histograms].sort()) {
      out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
      for (const [key, v] of [...h.values].sort()) {
        const le = (b: string) => `{${key ? `${key.slice(1, -1)},` : ''}le="${b}"}`;
        BUCKETS.forEach((b, i) => out.push(`${name}_bucket${le(String(b))} ${v.counts[i]}`));
        out.push(`${name}_bucket${le('+Inf')} ${v.count}`, `${name}_sum${key} ${v.sum}`, `${name}_count${key} ${v.count}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}

/** The store's facts as gauges: the same on every replica, and right after a restart. */
function storeGauges(c: StoreCounts): string[] {
  const gauge = (name: string, help: string, rows: Array<{ labels: Record<string, string>; value: number }>) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} gauge`,
    ...rows.map((r) => `${name}${labels(r.labels)} ${r.value}`),
  ];
  return [
    ...gauge('deploy_medic_incidents', 'Incidents in the store by phase (resolved ones included: their sum is every incident opened).', c.incidents.map((r) => ({ labels: { phase: r.phase }, value: r.count }))),
    ...gauge('deploy_medic_incidents_open', 'Incidents not resolved.', [{ labels: {}, value: c.incidents.filter((r) => r.phase !== 'resolved').reduce((n, r) => n + r.count, 0) }]),
    ...gauge('deploy_medic_proposals', 'Proposals by action and status (approved, rejected, expired, superseded, executed ...).', c.proposals.map((r) => ({ labels: { action: r.action, status: r.status }, value: r.count }))),
    ...gauge('deploy_medic_executions', 'Executed proposals by action and outcome (verified, failed ...).', c.executions.map((r) => ({ labels: { action: r.action, outcome: r.outcome }, value: r.count }))),
    ...gauge('deploy_medic_outbox_messages', 'Outbox messages by destination (slack, pagerduty) and status; pending is the backlog.', c.outbox.map((r) => ({ labels: { destination: r.destination, status: r.status }, value: r.count }))),
    ...gauge('deploy_medic_outbox_attempts', 'Delivery attempts made, retries included, by destination.', c.outboxAttempts.map((r) => ({ labels: { destination: r.destination }, value: r.count }))),
  ];
}

/** The reading service, each diagnosis counted and timed. */
export function observedReading(reading: ReadingService, metrics: Metrics, now: () => number = Date.now): ReadingService {
  return {
    rollout: (t) => reading.rollout(t),
    status: (t, found) => reading.status(t, found),
    history: (t, found) => reading.history(t, found),
    logs: (req, found) => reading.logs(req, found),
    preflight: (t, change, found) => reading.preflight(t, change, found),
    async diagnose(t, found) {
      const started = now();
      try {
        const report = await reading.diagnose(t, found);
        metrics.diagnosisFinished('ok', report.findings[0]?.code ?? 'none', (now() - started) / 1000);
        return report;
      } catch (e) {
        metrics.diagnosisFinished('error', 'none', (now() - started) / 1000);
        throw e;
      }
    },
  };
}
