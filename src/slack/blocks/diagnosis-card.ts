import type { Button, KnownBlock } from '@slack/types';
import type { DiagnosisReport } from '../../domain/diagnosis.js';
import type { Evidence, Finding } from '../../domain/finding.js';
import { actions, context, divider, header, listText, oneLine, section, slackMessage } from './build.js';
import { escapeMrkdwn, fence, inlineCode, slackDate } from './escape.js';
import { fixButton, fixLine } from './fixes.js';
import { SEVERITY_EMOJI, STATE_EMOJI, replicasLine } from './labels.js';
import { MAX_SECTION_TEXT, clipMrkdwn, fitBlocks, fitLines, type BlockGroup } from './limits.js';
import type { SlackMessage } from './types.js';

/** A log excerpt is evidence, not the log: the logs command shows more. */
const MAX_LOG_EVIDENCE = 1500;
const MAX_LOG_LINE = 300;

/**
 * `/deploy diagnose`: the root cause first and biggest (its evidence, its
 * fixes as buttons or commands), then the other findings in a line or two
 * each. Findings arrive ranked, root cause first (domain/analyzers).
 */
export function diagnosisCard(report: DiagnosisReport, cluster: string): SlackMessage {
  const d = report.deployment;
  const [root, ...others] = report.findings;
  const rollout = `${STATE_EMOJI[report.rollout.state]} *Rollout ${report.rollout.state}*: ${escapeMrkdwn(report.rollout.message)}`;
  const facts = `*Revision* ${d.revision} · last healthy ${report.lastHealthyRevision ?? 'unknown'}   *Replicas* ${replicasLine(d.replicas)}`;
  const groups: BlockGroup[] = root
    ? [
        { priority: 0, blocks: [header(`${SEVERITY_EMOJI[root.severity]} ${root.title}`), section(rootSummary(root, d, rollout, facts))] },
        { priority: 1, blocks: evidenceBlocks(root.evidence.filter((e) => e.kind !== 'log')) },
        { priority: 2, blocks: root.evidence.filter((e) => e.kind === 'log').map(logBlock) },
        { priority: 0, blocks: fixBlocks(root, { cluster, namespace: d.namespace, name: d.name }) },
        // What could not be read qualifies the root cause, so it comes before the rest.
        { priority: 1, blocks: notesBlocks(report.notes) },
        ...others.map((f, i) => ({ priority: 3, blocks: [...(i === 0 ? [divider(), section(`*Also found* (${others.length})`)] : []), section(briefFinding(f))] })),
      ]
    : [
        { priority: 0, blocks: [header(`✅ ${d.namespace}/${d.name}: no problems found`), section(`${rollout}\n${facts}`)] },
        { priority: 1, blocks: notesBlocks(report.notes) },
      ];
  groups.push({ priority: 0, blocks: [context(`Cluster ${inlineCode(cluster)} · collected ${slackDate(report.collectedAt)} in ${report.durationMs} ms`)] });
  const blocks = fitBlocks(groups, { one: 'finding', cli: `deploy-medic diagnose ${d.name} -n ${d.namespace}` });
  const fallback = root
    ? `${SEVERITY_EMOJI[root.severity]} ${d.namespace}/${d.name}: ${root.code} ${root.title}${others.length ? ` (and ${others.length} more findings)` : ''}`
    : `✅ ${d.namespace}/${d.name}: no problems found (${report.rollout.message})`;
  return slackMessage(fallback, blocks);
}

function rootSummary(f: Finding, d: DiagnosisReport['deployment'], rollout: string, facts: string): string {
  const head = `*Root cause* in ${inlineCode(`${d.namespace}/${d.name}`)}: ${SEVERITY_EMOJI[f.severity]} ${f.severity} ${inlineCode(f.code)}`;
  const tail = `\n\n${rollout}\n${facts}`;
  return `${head}\n${clipMrkdwn(escapeMrkdwn(f.summary), MAX_SECTION_TEXT - head.length - tail.length - 1)}${tail}`;
}

function evidenceBlocks(evidence: Evidence[]): KnownBlock[] {
  if (!evidence.length) return [];
  return [section(listText('*Evidence*', evidence.map((e) => `• _${e.kind}_ ${oneLine(e.name, 150)}: ${oneLine(e.detail, 500)}`), 'evidence item'))];
}

/** A log excerpt as a code block: its last lines, since the last lines say why it died. */
function logBlock(e: Evidence): KnownBlock {
  const title = `_log_ ${oneLine(e.name, 200)}\n`;
  const lines = e.detail.split('\n').map((l) => clipMrkdwn(escapeMrkdwn(l), MAX_LOG_LINE));
  const { kept, hidden } = fitLines(lines, MAX_LOG_EVIDENCE, 'end');
  const cut = hidden ? `\n_${hidden} earlier lines not shown_` : '';
  return section(title + fence(kept.join('\n')) + cut);
}

function fixBlocks(f: Finding, ref: { cluster: string; namespace: string; name: string }): KnownBlock[] {
  const buttons: Button[] = [];
  const lines: string[] = [];
  for (const fix of f.fixes) {
    const b = fixButton(fix, ref);
    if (b) buttons.push(b);
    else lines.push(fixLine(fix, ref));
  }
  return [...(lines.length ? [section(listText('*Fixes*', lines, 'fix', 'fixes'))] : []), ...actions(buttons)];
}

function briefFinding(f: Finding): string {
  return `${SEVERITY_EMOJI[f.severity]} *${oneLine(f.title, 300)}* ${inlineCode(f.code)}\n${oneLine(f.summary, 500)}`;
}

function notesBlocks(notes: string[]): KnownBlock[] {
  if (!notes.length) return [];
  return [section(listText('⚠️ *Could not read everything; the findings are based on the rest:*', notes.map((n) => `• ${oneLine(n, 400)}`), 'note'))];
}
