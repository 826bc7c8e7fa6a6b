import type { IncidentNotice } from '../../domain/incident.js';
import { section, slackMessage } from './build.js';
import { escapeMrkdwn, userMention } from './escape.js';
import { SEVERITY_EMOJI } from './labels.js';
import { MAX_SECTION_TEXT, clipMrkdwn } from './limits.js';
import type { SlackMessage } from './types.js';

const SOURCE: Record<'watcher' | 'alertmanager', string> = { watcher: 'the rollout watcher', alertmanager: 'Alertmanager' };
const PAGE_REASON = { severity: 'its severity calls for a page', unanswered: 'nobody acted in time', 'fix-failed': 'the fix failed its verification', manual: 'someone pressed Escalate' } as const;
const RESOLVE_REASON = { 'alert-resolved': 'the alert resolved', recovered: 'the rollout recovered', 'fix-verified': 'the fix was verified' } as const;

interface Style {
  mention: (userId: string) => string;
  esc: (text: string) => string;
  bold: (text: string) => string;
}

/** For the blocks: escaped mrkdwn with mentions. For the fallback: plain words (slackMessage escapes them). */
const MRKDWN: Style = { mention: userMention, esc: escapeMrkdwn, bold: (t) => `*${t}*` };
const PLAIN: Style = { mention: (id) => id, esc: (t) => t, bold: (t) => t };

/** The words of a notice in the thread. */
function noticeText(n: IncidentNotice, { mention, esc, bold }: Style): string {
  switch (n.kind) {
    case 'detected':
      return `${SEVERITY_EMOJI[n.severity]} Also reported by ${SOURCE[n.source]} (${n.severity}).`;
    case 'reopened':
      return `🔁 Failing again (${SOURCE[n.source]}): the incident is reopened (${n.times === 1 ? 'once' : `${n.times} times`}).`;
    case 'paged':
      return `📟 Paged ${bold(n.level)} in PagerDuty: ${PAGE_REASON[n.reason]}.`;
    case 'acknowledged':
      return `🙋 ${mention(n.by)} took this incident${n.via === 'pagerduty' ? ' in PagerDuty' : ''}.`;
    case 'pager-update':
      return `📟 PagerDuty: ${esc(n.what)} by ${mention(n.by)}${n.detail ? `: ${esc(n.detail)}` : ''}`;
    case 'note':
      return `📝 ${mention(n.by)}: ${esc(n.text)}`;
    case 'resolved':
      return `✅ Resolved: ${RESOLVE_REASON[n.reason]}${n.by ? ` (${mention(n.by)})` : ''}.`;
  }
}

/** One message in the incident's thread for each notice the machine emits. */
export function incidentNoticeMessage(notice: IncidentNotice): SlackMessage {
  return slackMessage(noticeText(notice, PLAIN), [section(clipMrkdwn(noticeText(notice, MRKDWN), MAX_SECTION_TEXT))]);
}
