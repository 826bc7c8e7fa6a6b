import type { AccountState } from './state.js';
import type { Agent, IncidentNote, SimIncident } from './types.js';

/**
 * PagerDuty's JSON shapes: REST API v2 resources and references, and the
 * (different) incident object inside a v3 webhook's `event.data`.
 */

export interface Links {
  /** The API origin, for `self`. */
  api: string;
  /** The web UI origin, for `html_url`. */
  web: string;
}

const PATHS = {
  user_reference: 'users',
  service_reference: 'services',
  escalation_policy_reference: 'escalation_policies',
  schedule_reference: 'schedules',
  incident_reference: 'incidents',
} as const;

export type RefType = keyof typeof PATHS;

export function reference(links: Links, type: RefType, id: string, summary: string): Record<string, unknown> {
  const path = `${PATHS[type]}/${id}`;
  return { id, type, summary, self: `${links.api}/${path}`, html_url: `${links.web}/${path}` };
}

export class Renderer {
  constructor(
    private readonly state: AccountState,
    readonly links: Links,
  ) {}

  user(id: string): Record<string, unknown> {
    return reference(this.links, 'user_reference', id, this.state.users.get(id)?.name ?? id);
  }

  /** A full user object, for `include[]=users`. */
  fullUser(id: string): Record<string, unknown> {
    const u = this.state.users.get(id);
    return { ...this.user(id), type: 'user', name: u?.name, email: u?.email, time_zone: u?.timeZone ?? 'Etc/UTC', role: 'user' };
  }

  service(id: string): Record<string, unknown> {
    return reference(this.links, 'service_reference', id, this.state.services.get(id)?.name ?? id);
  }

  policy(id: string): Record<string, unknown> {
    return reference(this.links, 'escalation_policy_reference', id, this.state.policies.get(id)?.name ?? id);
  }

  schedule(id: string): Record<string, unknown> {
    return reference(this.links, 'schedule_reference', id, this.state.schedules.get(id)?.name ?? id);
  }

  agent(agent: Agent): Record<string, unknown> {
    return agent.type === 'user_reference' ? this.user(agent.id) : this.service(agent.id);
  }

  /** GET /incidents/{id}. */
  incident(i: SimIncident): Record<string, unknown> {
    const ref = reference(this.links, 'incident_reference', i.id, `[#${i.number}] ${i.title}`);
    const alertCounts = { all: 1, triggered: i.alert.resolvedAt ? 0 : 1, resolved: i.alert.resolvedAt ? 1 : 0 };
    return {
      ...ref,
      type: 'incident',
      incident_number: i.number,
      title: i.title,
      description: i.title,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
      status: i.status,
      incident_key: i.incidentKey,
      service: this.service(i.serviceId),
      assignments: i.status === 'resolved' ? [] : i.assigneeIds.map((id) => ({ at: i.lastStatusChange.at, assignee: this.user(id) })),
      assigned_via: 'escalation_policy',
      last_status_change_at: i.lastStatusChange.at,
      last_status_change_by: this.agent(i.lastStatusChange.agent),
      first_trigger_log_entry: { id: `${i.alert.id}T`, type: 'trigger_log_entry_reference', summary: `Triggered through the API.` },
      alert_counts: alertCounts,
      is_mergeable: true,
      escalation_policy: this.policy(i.escalationPolicyId),
      teams: [],
      pending_actions: [],
      acknowledgements: i.acknowledgements.map((a) => ({ at: a.at, acknowledger: this.agent(a.agent) })),
      basic_alert_grouping: null,
      alert_grouping: null,
      resolve_reason: null,
      urgency: i.urgency,
      priority: null,
      incidents_responders: [],
      responder_requests: [],
      subscriber_requests: [],
      conference_bridge: null,
    };
  }

  /** The incident as a v3 webhook's `event.data`. */
  webhookIncident(i: SimIncident): Record<string, unknown> {
    const { self, html_url } = reference(this.links, 'incident_reference', i.id, i.title);
    return {
      id: i.id,
      type: 'incident',
      self,
      html_url,
      number: i.number,
      status: i.status,
      incident_key: i.incidentKey,
      created_at: i.createdAt,
      title: i.title,
      service: this.service(i.serviceId),
      assignees: i.status === 'resolved' ? [] : i.assigneeIds.map((id) => this.user(id)),
      escalation_policy: this.policy(i.escalationPolicyId),
      teams: [],
      priority: null,
      urgency: i.urgency,
      conference_bridge: null,
      resolve_reason: null,
    };
  }

  /** An `incident.annotated` webhook's `event.data`. */
  webhookNote(i: SimIncident, note: IncidentNote): Record<string, unknown> {
    return { incident: reference(this.links, 'incident_reference', i.id, i.title), id: note.id, content: note.content, trimmed: false, type: 'incident_note' };
  }

  /** POST /incidents/{id}/notes. */
  note(note: IncidentNote): Record<string, unknown> {
    return { id: note.id, user: this.user(note.userId), channel: { summary: 'The PagerDuty REST API' }, content: note.content, created_at: note.createdAt };
  }
}
