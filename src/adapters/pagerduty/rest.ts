import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { api } from '@pagerduty/pdjs';
import { MedicError, networkErrorCode } from '../../errors.js';
import type { OnCallDirectory, OnCallEntry } from '../../ports.js';

const TIMEOUT_MS = 5_000;

interface Ref {
  id: string;
  summary?: string;
}
interface OnCallRow {
  escalation_level: number;
  escalation_policy: Ref;
  schedule: Ref | null;
  user: Ref;
}

/**
 * PagerDuty REST API v2 through pdjs: who is on call for a paged incident
 * (its escalation policy, from GET /incidents?incident_key=, then
 * GET /oncalls), and an incident's key by its ID. Each call has its own
 * AbortSignal (pdjs's timeout does not abort); a private CA rides on an
 * https.Agent as for the Events API.
 */
export class PagerDutyRest implements OnCallDirectory {
  private readonly origin: string;
  private readonly agent?: Agent;

  constructor(private readonly opts: { apiUrl: string; token: string; caFile?: string; timeoutMs?: number }) {
    this.origin = new URL(opts.apiUrl).origin;
    if (opts.caFile) this.agent = new Agent({ ca: readFileSync(opts.caFile), keepAlive: true });
  }

  async forIncident(dedupKey: string): Promise<OnCallEntry[]> {
    const { incidents } = await this.get<{ incidents: Array<{ escalation_policy: Ref }> }>('/incidents', [['incident_key', dedupKey]]);
    const policies = [...new Set(incidents.map((i) => i.escalation_policy.id))];
    if (!policies.length) return [];
    const { oncalls } = await this.get<{ oncalls: OnCallRow[] }>('/oncalls', [['earliest', 'true'], ...policies.map((id): [string, string] => ['escalation_policy_ids[]', id])]);
    return oncalls
      .map((o) => ({ level: o.escalation_level, name: o.user.summary ?? o.user.id, policy: o.escalation_policy.summary ?? o.escalation_policy.id, ...(o.schedule?.summary ? { schedule: o.schedule.summary } : {}) }))
      .sort((a, b) => a.level - b.level || a.name.localeCompare(b.name));
  }

  async incidentKeyOf(pagerIncidentId: string): Promise<string | undefined> {
    const { incident } = await this.get<{ incident: { incident_key?: string | null } }>(`/incidents/${encodeURIComponent(pagerIncidentId)}`, []);
    return incident.incident_key ?? undefined;
  }

  private async get<T>(path: string, query: Array<[string, string]>): Promise<T> {
    const url = new URL(path, this.origin);
    for (const [k, v] of query) url.searchParams.append(k, v);
    try {
      const res = await api({ url: url.toString(), token: this.opts.token, method: 'GET', signal: AbortSignal.timeout(this.opts.timeoutMs ?? TIMEOUT_MS), retryTimeout: 1_000, ...(this.agent ? ({ agent: this.agent } as object) : {}) });
      if (!res.ok) throw new MedicError('PAGER_API', `PagerDuty answered GET ${path} with HTTP ${res.status}`);
      return res.data as T;
    } catch (e) {
      if (e instanceof MedicError) throw e;
      // pdjs rejects with the Response itself when its body is not JSON (a bare 5xx from a proxy).
      const status = (e as { status?: unknown }).status;
      if (typeof status === 'number') throw new MedicError('PAGER_API', `PagerDuty answered GET ${path} with HTTP ${status}`);
      throw new MedicError('PAGER_API', `PagerDuty did not answer GET ${path} (${networkErrorCode(e) ?? (e as Error).name}): ${(e as Error).message}`, { cause: e });
    }
  }
}
