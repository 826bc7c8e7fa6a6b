import { isFailing } from '../../domain/diagnosis.js';
import type { PreflightReport } from '../../domain/preflight/world.js';
import type { Style } from '../style.js';
import { renderFinding } from './diagnosis-text.js';

/** The human form of a preflight: what would run, the verdict, then the findings as a diagnosis shows them. */
export function renderPreflightText(r: PreflightReport, s: Style): string {
  const d = r.deployment;
  const lines = [
    `${s.bold(`${d.namespace}/${d.name}`)}  (${r.source})`,
    `Would run: revision ${d.revision}  ${d.images.join(', ')}`,
    `Now:       ${d.uid ? `${r.rollout.message}; ${d.replicas.available} of ${d.replicas.desired} available` : 'not in the cluster yet'}`,
  ];
  const errors = r.findings.filter((f) => f.severity === 'critical' || f.severity === 'error').length;
  const warnings = r.findings.filter((f) => f.severity === 'warning').length;
  lines.push(`Verdict:   ${isFailing(r) ? s.red(`WOULD FAIL (${errors} ${errors === 1 ? 'error' : 'errors'})`) : warnings ? s.yellow(`OK, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`) : s.green('OK')}`, '');
  r.findings.forEach((f, i) => lines.push(...renderFinding(f, i + 1, d, s), ''));
  if (r.notes.length) {
    lines.push(s.yellow('Could not check everything; the verdict is based on the rest:'));
    for (const n of r.notes) lines.push(`  - ${n}`);
    lines.push('');
  }
  lines.push(s.dim(`Checked ${r.collectedAt} in ${r.durationMs} ms`));
  return lines.join('\n');
}
