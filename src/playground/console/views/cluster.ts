import type { DeploymentView, PodView } from '../../cluster.js';
import { Html, html } from '../html.js';

/**
 * The cluster panel: every deployment with its revision, replicas, rollout
 * state and pods (kubectl's STATUS), the catalog's scenarios with their
 * "Break it" / "Reset". What is not healthy comes first.
 */
export function clusterHtml(deployments: DeploymentView[]): Html {
  const attention = (d: DeploymentView) => (d.scenario && !d.scenario.atBaseline) || d.rollout.state !== 'complete' || d.pods.some((p) => !p.healthy);
  const sorted = [...deployments].sort((a, b) => Number(attention(b)) - Number(attention(a)) || a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const changed = deployments.some((d) => d.scenario && !d.scenario.atBaseline);
  return html`<div class="panel-head"><h2>Cluster</h2><button type="button" class="btn small" data-reset-all ${changed ? '' : 'disabled'}>Reset all</button></div>
<p class="hint">Every deployment of the simulated cluster. <b>Break it</b> rolls out a scenario's failing revision; the bot's watcher opens an incident.</p>
<ul class="deployments">${sorted.map(deploymentHtml)}</ul>`;
}

function deploymentHtml(d: DeploymentView): Html {
  const s = d.scenario;
  const state = d.rollout.state === 'complete' && d.pods.some((p) => !p.healthy) ? 'progressing' : d.rollout.state;
  const action = !s
    ? ''
    : s.atBaseline
      ? html`<button type="button" class="btn small btn-danger" data-break="${s.name}" title="${s.description}">${s.expect.length ? 'Break it' : 'Roll out'}</button>`
      : html`<button type="button" class="btn small" data-reset="${s.name}" title="Back to the healthy first revision">Reset</button>`;
  return html`<li class="deployment state-${state}" data-deployment="${d.namespace}/${d.name}" data-revision="${d.revision}"${s ? html` data-scenario="${s.name}"` : ''}>
<div class="dep-head"><span class="dep-name" title="${`${d.namespace}/${d.name}`}"><b>${d.name}</b></span><span class="badge">rev ${d.revision}</span><span class="badge rollout rollout-${state}" title="${d.rollout.message}">${state}</span>${action}</div>
<div class="dep-detail">${d.namespace} · ${d.replicas.ready}/${d.replicas.desired} ready · ${d.images.map((i) => i.slice(i.lastIndexOf('/') + 1)).join(', ')}${s && s.expect.length ? html` · <span class="scenario-name" title="${s.description}">${s.name}</span>` : ''}</div>
<div class="pods">${d.pods.map(podHtml)}</div></li>`;
}

const podHtml = (p: PodView): Html =>
  html`<span class="pod ${p.healthy ? 'pod-ok' : 'pod-bad'}" title="${`${p.name} · ready ${p.ready} · restarts ${p.restarts}`}" data-pod="${p.name}">${p.name.slice(p.name.lastIndexOf('-') + 1)} <b>${p.status}</b></span>`;
