import type { DiagnosisReport } from '../../domain/diagnosis.js';
import { fixCommand, type Finding, type Severity } from '../../domain/finding.js';
import type { Style } from '../style.js';

/** The human form of a diagnosis, for a terminal: root cause first, evidence, fixes as commands. */
export function renderDiagnosisText(r: DiagnosisReport, s: Style): string {
  const d = r.deployment;
  const lines: string[] = [];
  lines.push(`${s.bold(`${d.namespace}/${d.name}`)}  revision ${d.revision}  ${d.images.join(', ')}`);
  const state = r.rollout.state === 'complete' ? s.green('COMPLETE') : r.rollout.state === 'failed' ? s.red('FAILED') : s.yellow(r.rollout.state.toUpperCase());
  lines.push(`Rollout:  ${state}  ${r.rollout.message}`);
  const rep = d.replicas;
  lines.push(`Replicas: ${rep.desired} desired, ${rep.updated} updated, ${rep.ready} ready, ${rep.available} available, ${rep.unavailable} unavailable`);
  lines.push(`Last healthy revision: ${r.lastHealthyRevision ?? 'unknown'}`);
  lines.push('');
  if (!r.findings.length) lines.push(s.green('No problems found.'));
  r.findings.forEach((f, i) => lines.push(...renderFinding(f, i + 1, d, s), ''));
  if (r.notes.length) {
    lines.push(s.yellow('Could not read everything; the findings are based on the rest:'));
    for (const n of r.notes) lines.push(`  - ${n}`);
    lines.push('');
  }
  lines.push(s.dim(`Collected ${r.collectedAt} in ${r.durationMs} ms`));
  return lines.join('\n');
}

function severityLabel(sev: Severity, s: Style): string {
  const text = sev.toUpperCase();
  return sev === 'critical' || sev === 'error' ? s.red(text) : sev === 'warning' ? s.yellow(text) : s.cyan(text);
}

export function renderFinding(f: Finding, n: number, d: DiagnosisReport['deployment'], s: Style): string[] {
  const out = [`${n}. ${severityLabel(f.severity, s)} ${s.bold(f.code)}  ${f.title}`, `   ${f.summary}`];
  if (f.evidence.length) {
    out.push('   Evidence:');
    for (const e of f.evidence) out.push(`     ${e.kind.padEnd(9)} ${e.name}: ${e.detail}`);
  }
  if (f.fixes.length) {
    out.push('   Fixes:');
    for (const fix of f.fixes) {
      const cmd = fixCommand(fix, d);
      out.push(`     - ${fix.title}${cmd ? `\n       ${s.dim(cmd)}` : ''}`);
    }
  }
  return out;
}
