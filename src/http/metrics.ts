/**
 * The bot's Prometheus metrics (text exposition format 0.0.4), kept in
 * memory: command and button outcomes and durations.
 */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) => `{${Object.entries(l).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;

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

  render(): string {
    const out = ['# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.', '# TYPE process_start_time_seconds gauge', `process_start_time_seconds ${this.startedAt}`];
    for (const [name, c] of [...this.counters].sort()) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [key, v] of [...c.values].sort()) out.push(`${name}${key} ${v}`);
    }
    for (const [name, h] of [...this.histograms].sort()) {
      out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
      for (const [key, v] of [...h.values].sort()) {
        const inner = key.slice(1, -1);
        BUCKETS.forEach((b, i) => out.push(`${name}_bucket{${inner},le="${b}"} ${v.counts[i]}`));
        out.push(`${name}_bucket{${inner},le="+Inf"} ${v.count}`, `${name}_sum${key} ${v.sum}`, `${name}_count${key} ${v.count}`);
      }
    }
    return `${out.join('\n')}\n`;
  }
}
