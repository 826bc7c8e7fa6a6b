import { describe, expect, it } from 'vitest';
import { allText, buttonsOf, messageProblems } from '../../../test/helpers/blocks.js';
import type { IncidentNotice } from '../../domain/incident.js';
import type { IncidentRecord } from '../../ports.js';
import { ACTION_IDS, decodeIncidentId } from './actions.js';
import { incidentCard } from './incident-card.js';
import { incidentNoticeMessage } from './incident-notes.js';

const ID = 'inc-0a1b2c3d4e';
const incidentRecord = (over: Partial<IncidentRecord> = {}): IncidentRecord => ({
  id: ID,
  fingerprint: 'rollout:prod/production/api-server/4',
  channel: 'C0INCIDENTS',
  subject: { kind: 'rollout', cluster: 'prod', namespace: 'production', deployment: 'api-server', revision: 4 },
  terms: { pageImmediately: ['critical'], unansweredMinutes: 10, reopenGraceMinutes: 30 },
  openedAt: new Date('2024-05-01T03:00:00Z'),
  severity: 'critical',
  rootCause: 'IMAGE_TAG_NOT_FOUND',
  summary: 'Image tag v2.0.1 does not exist',
  sources: ['watcher'],
  firingAlerts: [],
  watcherFailing: true,
  pages: [],
  reopened: 0,
  version: 1,
  phase: 'investigating',
  ...over,
});

const texts = (m: ReturnType<typeof incidentCard>) => m.blocks.map((b) => (b.type === 'section' || b.type === 'header' ? b.text!.text : b.type === 'context' ? (b.elements[0] as { text: string }).text : b.type));

describe('incidentCard', () => {
  it('shows the phase, severity, deployment and revision, root cause, owner, pages and opening time, with Take it and Escalate', () => {
    const m = incidentCard(incidentRecord());
    expect(texts(m)).toEqual([
      '🔎 Investigating: production/api-server (revision 4)',
      '🔎 *Investigating*   *Severity* 🔴 critical\n*Deployment* production/api-server (revision 4)\n*Root cause* `IMAGE_TAG_NOT_FOUND`: Image tag v2.0.1 does not exist',
      '*Owner* nobody yet\n*Paged* no one',
      'actions',
      'Incident `inc-0a1b2c3d4e` · cluster `prod` · opened <!date^1714532400^{date_short_pretty} at {time_secs}|2024-05-01T03:00:00.000Z> · details in the thread',
    ]);
    // The buttons carry the incident ID only.
    expect(buttonsOf(m).map((b) => [b.text, b.actionId, b.value])).toEqual([
      ['Take it', ACTION_IDS.incidentAck, { incidentId: ID }],
      ['Escalate', ACTION_IDS.incidentEscalate, { incidentId: ID }],
    ]);
    expect(m.text).toBe('Investigating: critical incident inc-0a1b2c3d4e on production/api-server (revision 4): Image tag v2.0.1 does not exist');
    expect(messageProblems(m)).toEqual([]);
  });

  it('names the owner and paged levels, and drops Take it once someone took it', () => {
    const m = incidentCard(
      incidentRecord({
        phase: 'mitigating',
        acknowledged: { by: 'U0ALICE', via: 'slack', at: new Date('2024-05-01T03:02:00Z') },
        pages: [{ level: 'L1', reason: 'severity', at: new Date('2024-05-01T03:00:00Z') }],
      }),
    );
    expect(allText(m)).toContain('*Owner* <@U0ALICE> (took it in Slack');
    expect(allText(m)).toContain('*Paged* L1 (severity)');
    expect(allText(m)).toContain('🛠️ Mitigating');
    expect(buttonsOf(m).map((b) => b.text)).toEqual(['Escalate']);
    expect(messageProblems(m)).toEqual([]);
  });

  it('shows a resolved incident without buttons, and an alert group by its key', () => {
    const resolved = incidentCard(incidentRecord({ phase: 'resolved', resolved: { at: new Date('2024-05-01T03:20:00Z'), by: 'deploy-medic', reason: 'fix-verified', graceUntil: new Date('2024-05-01T03:50:00Z') } }));
    expect(allText(resolved)).toContain('✅ *Resolved* <!date^1714533600');
    expect(allText(resolved)).toContain('(fix verified)');
    expect(buttonsOf(resolved)).toEqual([]);
    const group = incidentCard(incidentRecord({ subject: { kind: 'alert-group', groupKey: '{}:{alertname="<Disk&Full>"}' }, rootCause: undefined as never, summary: 'Disk <full> & `rm -rf`' }));
    expect(allText(group)).toContain('*Alerts* alert group {}:{alertname="&lt;Disk&amp;Full&gt;"}');
    expect(messageProblems(group)).toEqual([]);
    expect(messageProblems(resolved)).toEqual([]);
  });

  it('stays within Slack limits for a huge summary and a hostile name', () => {
    const m = incidentCard(incidentRecord({ summary: '<!channel> '.repeat(2000), subject: { kind: 'rollout', cluster: 'c'.repeat(300), namespace: 'n'.repeat(63), deployment: 'd'.repeat(253), revision: 99 } }));
    expect(messageProblems(m)).toEqual([]);
  });
});

describe('decodeIncidentId', () => {
  it('takes inc- and 10 hex digits, nothing else', () => {
    expect(decodeIncidentId(ID)).toBe(ID);
    for (const bad of ['inc-0A1B2C3D4E', 'inc-0a1b2c3d4', 'inc-0a1b2c3d4e5', '0a1b2c3d4e', '']) expect(() => decodeIncidentId(bad)).toThrow(/incident ID/);
  });
});

describe('incidentNoticeMessage', () => {
  const notices: IncidentNotice[] = [
    { kind: 'detected', source: 'alertmanager', severity: 'error' },
    { kind: 'reopened', source: 'watcher', times: 2 },
    { kind: 'paged', level: 'L2', reason: 'unanswered' },
    { kind: 'acknowledged', by: 'U0ALICE', via: 'slack' },
    { kind: 'pager-update', what: 'escalated', by: 'PXYZ', detail: 'to <L3> & beyond' },
    { kind: 'note', by: 'U0BOB', text: 'Looking at ```the logs``` <@U0ALL> & more' },
    { kind: 'resolved', reason: 'recovered', by: 'deploy-medic' },
  ];
  it('says each kind in a line that Slack accepts', () => {
    const said = notices.map((n) => incidentNoticeMessage(n));
    for (const m of said) expect(messageProblems(m)).toEqual([]);
    expect(said.map((m) => allText(m))).toEqual([
      '🟠 Also reported by Alertmanager (error).',
      '🔁 Failing again (the rollout watcher): the incident is reopened (2 times).',
      '📟 Paged *L2* in PagerDuty: nobody acted in time.',
      '🙋 <@U0ALICE> took this incident.',
      '📟 PagerDuty: escalated by PXYZ: to &lt;L3&gt; &amp; beyond',
      '📝 <@U0BOB>: Looking at `\u200b`\u200b`the logs`\u200b`\u200b` &lt;@U0ALL&gt; &amp; more',
      '✅ Resolved: the rollout recovered (deploy-medic).',
    ]);
  });
});
