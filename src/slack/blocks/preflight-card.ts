import { isFailing } from '../../domain/diagnosis.js';
import type { PreflightReport } from '../../domain/preflight/world.js';
import { context, header, oneLine, slackMessage } from './build.js';
import { diagnosisCard } from './diagnosis-card.js';
import { escapeMrkdwn, inlineCode, slackDate } from './escape.js';
import { SEVERITY_EMOJI } from './labels.js';
import type { SlackMessage } from './types.js';

/**
 * `/deploy preflight`: the diagnosis card of the deployment as it would be
 * after the change, under a verdict, and saying that nothing was changed.
 * Its fix buttons propose changes to the running deployment, as a diagnosis's do.
 */
export function preflightCard(report: PreflightReport, cluster: string): SlackMessage {
  const card = diagnosisCard(report, cluster);
  const d = report.deployment;
  const root = report.findings[0];
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const verdict = isFailing(report)
    ? `${SEVERITY_EMOJI[root!.severity]} Would fail: ${root!.title}`
    : root
      ? `🟡 Would roll out, with ${warnings === 1 ? 'a warning' : `${warnings} warnings`}: ${root.title}`
      : `✅ ${d.namespace}/${d.name}: the change would roll out`;
  const footer = context(`Preflight of ${escapeMrkdwn(oneLine(report.source, 300))}: nothing was changed · cluster ${inlineCode(cluster)} · checked ${slackDate(report.collectedAt)} in ${report.durationMs} ms`);
  const last = card.blocks.length - 1;
  const blocks = card.blocks.map((b, i) => (i === 0 && b.type === 'header' ? header(verdict) : i === last && b.type === 'context' ? footer : b));
  return slackMessage(`${verdict} (preflight of ${report.source}; nothing was changed)`, blocks);
}
