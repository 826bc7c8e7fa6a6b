import type { KnownBlock } from '@slack/types';
import { durationText, timelineSentence, type IncidentReport } from '../../domain/incident-report.js';
import type { IncidentRecord, TimelineEntry } from '../../ports.js';
import type { OnCallAnswer } from '../../services/incidents.js';
import { andMore, context, header, section, slackMessage } from './build.js';
import { escapeMrkdwn, fence, slackDate, userMention } from './escape.js';
import { PHASE_WORD, incidentCard, subjectText } from './incident-card.js';
import { MAX_BLOCKS, MAX_SECTION_TEXT, clipMrkdwn, fitLines } from './limits.js';
import { codeTable } from './table.js';
import type { SlackMessage } from './types.js';

/** Timeline entries shown under `/deploy incident ID`; the report has them all. */
const LAST_ENTRIES = 10;

const age = (from: Date, now: Date) => durationText(Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000))).split(' ')[0]!;

/** `/deploy incident`: the open incidents, one line each, oldest first. */
export function incidentListMessage(incidents: readonly IncidentRecord[], now: Date): SlackMessage {
  if (!incidents.length) return slackMessage('No open incidents.', [section('✅ No open incidents.')]);
  const title = `*Open incidents* (${incidents.length})\n`;
  const more = (n: number) => `\n${andMore(n, 'incident')}`;
  const table = codeTable(
    ['ID', 'PHASE', 'SEVERITY', 'DEPLOYMENT', 'AGE'],
    incidents.map((i) => [i.id, PHASE_WORD[i.phase], i.severity, subjectText(i.subject), age(i.openedAt, now)]),
    MAX_SECTION_TEXT - title.length - more(incidents.length).length,
  );
  return slackMessage(`${incidents.length} open incidents`, [section(title + table.text + (table.hidden ? more(table.hidden) : '')), context('`/deploy incident ID` shows one; `/deploy incident report ID` writes its report.')]);
}

/** Who PagerDuty has on call for the page, by level; nothing when nothing is paged. */
function onCallLine(answer: OnCallAnswer): KnownBlock[] {
  switch (answer.kind) {
    case 'not-asked':
      return [];
    case 'unavailable':
      return [context(`On call: unknown, PagerDuty did not say (${escapeMrkdwn(answer.reason)})`)];
    case 'known': {
      if (!answer.entries.length) return [context('On call: nobody, says PagerDuty')];
      const who = answer.entries.map((e) => `L${e.level} ${escapeMrkdwn(e.name)} (${escapeMrkdwn(e.schedule ?? e.policy)})`);
      return [section(clipMrkdwn(`*On call:* ${who.join(' · ')}`, MAX_SECTION_TEXT))];
    }
  }
}

/** `/deploy incident ID`: the card, who is on call, then the latest timeline entries. */
export function incidentDetailMessage(incident: IncidentRecord, timeline: readonly TimelineEntry[], onCall: OnCallAnswer): SlackMessage {
  const card = incidentCard(incident);
  const last = timeline.slice(-LAST_ENTRIES);
  const lines = last.map((e) => `• ${slackDate(e.at.toISOString())} ${escapeMrkdwn(timelineSentence(e.kind, e.detail))} (${userMention(e.actor)})`);
  const title = `*Timeline*${timeline.length > last.length ? ` (last ${last.length} of ${timeline.length})` : ''}\n`;
  const { kept } = fitLines(lines, MAX_SECTION_TEXT - title.length);
  const blocks: KnownBlock[] = [...card.blocks, ...onCallLine(onCall), section(title + (kept.length ? kept.join('\n') : 'nothing yet'))];
  return slackMessage(card.text, blocks);
}

/** The report as Markdown in code blocks (one per section that fits), for the thread. */
export function incidentReportMessage(report: IncidentReport, markdown: string): SlackMessage {
  const budget = MAX_SECTION_TEXT - fence('').length;
  const chunks: string[][] = [[]];
  let size = 0;
  for (const raw of markdown.split('\n')) {
    const line = clipMrkdwn(escapeMrkdwn(raw), budget);
    if (size + line.length + 1 > budget && chunks.at(-1)!.length) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(line);
    size += line.length + 1;
  }
  const room = MAX_BLOCKS - 2;
  const blocks: KnownBlock[] = [
    header(`📄 Post-incident report: ${report.id}`),
    ...chunks.slice(0, room).map((c) => section(fence(c.join('\n')))),
    ...(chunks.length > room ? [context(`…cut short; \`deploy-medic incident report ${report.id}\` prints all of it.`)] : []),
  ];
  return slackMessage(`Post-incident report for ${report.id}: ${report.title}`, blocks.slice(0, MAX_BLOCKS));
}
