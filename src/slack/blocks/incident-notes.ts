import type { IncidentNotice } from '../../domain/incident.js';
import { section, slackMessage } from './build.js';
import { escapeMrkdwn, userMention } from './escape.js';
import { SEVERITY_EMOJI } from './labels.js';
import { MAX_SECTION_TEXT, clipMrkdwn } from './limits.js';
import type { SlackMessage } from './types.js';

const SOURCE: Record<'watcher' | 'alertmanager', string> = { watcher: 'the rollout watcher', alertmanager: 'Alertmanager' };
const PAGE_REASON = { severity: 'its severity calls for a page', unanswered: 'nobody acted in time', 'fix-failed': 'the fix failed its verification', manual: 'someone pressed Escalate' } as const;
const RESOLVE_REASON = { 'alert-resolved': 'the alert resolved', recovered: 'the rollout recovered', 'fix-verified': 'the fix was verified' } as const;

/** The words of a notice in the thread, as escaped mrkdwn. */
function noticeText(n: IncidentNotice): string {
  switch (n.kind) {
    case 'detected':
      return `${SEVERITY_EMOJI[n.severity]} Also reported by ${SOURCE[n.source]} (${n.severity}).`;
    case 'reopened':
      return `🔁 Failing again (${SOURCE[n.source]}): the incident is reopened (${n.times === 1 ? 'once' : `${n.times} times`}).`;
    case 'paged':
      return `📟 Paged *${n.level}* in PagerDuty: ${PAGE_REASON[n.reason]}.`;
    case 'acknowledged':
      return `🙋 ${userMention(n.by)} took this incident${n.via === 'pagerduty' ? ' in PagerDuty' : ''}.`;
    case 'pager-update':
      return `📟 PagerDuty: ${escapeMrkdwn(n.what)} by ${userMention(n.by)}${n.detail ? `: ${escapeMrkdwn(n.detail)}` : ''}`;
    case 'note':
      return `📝 ${userMention(n.by)}: ${escapeMrkdwn(n.text)}`;
    case 'resolved':
      return `✅ Resolved: ${RESOLVE_REASON[n.reason]}${n.by ? ` (${userMention(n.by)})` : ''}.`;
  }
}

/** One message in the incident's thread for each notice the machine emits. */
export function incidentNoticeMessage(notice: IncidentNotice): SlackMessage {
  const text = clipMrkdwn(noticeText(notice), MAX_SECTION_TEXT);
  return slackMessage(text.replace(/\*/g, ''), [section(text)]);
}
