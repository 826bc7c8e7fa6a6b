import type { PagerDutyEmulator } from '../../../sim/pagerduty/emulator.js';
import type { SlackEmulator } from '../../../sim/slack/emulator.js';
import { PHASE_WORD } from '../../../slack/blocks/incident-card.js';
import { INCIDENTS_CHANNEL } from '../../policy.js';
import { emojify } from '../blockkit/emoji.js';
import { Html, html } from '../html.js';
import { byOpenThenNewest } from './pagerduty.js';

/** The fallback text of an incident's parent message (incidentCard): "Mitigating: error incident inc-… on …". */
const INCIDENT_CARD = new RegExp(`^(${Object.values(PHASE_WORD).join('|')}): \\w+ incident (inc-[0-9a-f]{10}) on `);

/**
 * The incidents panel: each incident card the bot keeps in the incidents
 * channel (its parent message, updated in place), with a link to its thread
 * and the state of its page in PagerDuty.
 */
export function incidentsHtml(slack: SlackEmulator, pd: PagerDutyEmulator): Html {
  const cards = slack.messages(INCIDENTS_CHANNEL).flatMap((m) => {
    const card = INCIDENT_CARD.exec(m.text);
    if (!card) return [];
    const [, phase, id] = card as unknown as [string, string, string];
    const header = (m.blocks ?? []).find((b) => b.type === 'header') as { text?: { text?: string } } | undefined;
    const title = header?.text?.text ?? m.text;
    const open = phase !== PHASE_WORD.resolved;
    return [{ id, ts: m.ts, title, open, at: Number(m.ts), page: pd.incidents({ dedupKey: id })[0] }];
  });
  cards.sort(byOpenThenNewest);
  const open = cards.filter((c) => c.open).length;
  return html`<div class="panel-head"><h2>Incidents</h2><span class="badge">${open} open</span></div>${
    cards.length
      ? html`<ul class="incidents">${cards.map(
          (c) =>
            html`<li class="incident${c.open ? ' open' : ' resolved'}" data-incident="${c.id}"><a class="incident-link" href="#/${INCIDENTS_CHANNEL}/${c.ts}">${emojify(c.title)}</a><div class="dep-detail"><code>${c.id}</code>${c.page ? html` · PagerDuty <span class="pd-status pd-${c.page.status}">${c.page.status}</span>` : ''}</div></li>`,
        )}</ul>`
      : html`<p class="hint">None yet. Break a scenario below: the watcher opens an incident thread in #incidents.</p>`
  }`;
}
