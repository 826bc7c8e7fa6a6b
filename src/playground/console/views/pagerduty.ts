import type { PagerDutyEmulator } from '../../../sim/pagerduty/emulator.js';
import type { SimIncident } from '../../../sim/pagerduty/types.js';
import { Html, html } from '../html.js';

/** Open first, then newest first. */
export const byOpenThenNewest = <T extends { open: boolean; at: number }>(a: T, b: T) => Number(b.open) - Number(a.open) || b.at - a.at;

/** PagerDuty as the on-call sees it: who is on call, each incident's status, and acknowledging as its assignee. */
export function pagerDutyHtml(pd: PagerDutyEmulator): Html {
  const users = pd.state.users;
  const name = (id: string) => users.get(id)?.name ?? id;
  const onCall = [...pd.state.schedules.values()].map((s) => html`<span>${s.name}: <b>${name(s.onCallUserId)}</b></span>`);
  const incidents = pd.incidents().map((i) => ({ i, open: i.status !== 'resolved', at: Date.parse(i.createdAt) }));
  incidents.sort(byOpenThenNewest);
  return html`<div class="panel-head"><h2>PagerDuty</h2></div><div class="dep-detail on-call">${onCall}</div>${
    incidents.length ? html`<ul class="pd-incidents">${incidents.map(({ i }) => pdIncidentHtml(i, pd, name))}</ul>` : html`<p class="hint">No pages yet.</p>`
  }`;
}

function pdIncidentHtml(i: SimIncident, pd: PagerDutyEmulator, name: (id: string) => string): Html {
  const service = pd.state.services.get(i.serviceId)?.name ?? i.serviceId;
  const assignee = i.assigneeIds[0];
  const ack = i.status === 'triggered' && assignee ? html`<button type="button" class="btn small btn-primary" data-pd-ack="${i.id}">Acknowledge as ${name(assignee)}</button>` : '';
  return html`<li class="pd-incident" data-pd-incident="${i.id}" data-pd-key="${i.incidentKey}" data-pd-status="${i.status}"><div class="dep-head"><span class="pd-status pd-${i.status}">${i.status}</span><span class="dep-detail">#${i.number} · ${service}</span></div><div class="pd-title">${i.title}</div><div class="dep-detail">${i.urgency} urgency · ${i.assigneeIds.length ? `assigned to ${i.assigneeIds.map(name).join(', ')}` : 'unassigned'} · <code>${i.incidentKey}</code></div>${ack}</li>`;
}
