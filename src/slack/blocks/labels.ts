import type { Severity } from '../../domain/finding.js';
import type { RolloutState } from '../../domain/rollout.js';
import type { StatusView } from '../../services/views.js';

/** The words and signs every card uses for the same things. */
export const STATE_EMOJI: Record<RolloutState, string> = { complete: '✅', progressing: '⏳', failed: '❌', paused: '⏸️' };
export const STATE_WORD: Record<RolloutState, string> = { complete: 'Complete', progressing: 'Progressing', failed: 'Failed', paused: 'Paused' };
export const SEVERITY_EMOJI: Record<Severity, string> = { critical: '🔴', error: '🟠', warning: '🟡', info: 'ℹ️' };

/** The columns of `kubectl get deployment`, in words. */
export function replicasLine(r: StatusView['replicas']): string {
  return `${r.ready}/${r.desired} ready, ${r.updated} up-to-date, ${r.available} available${r.unavailable ? `, ${r.unavailable} unavailable` : ''}`;
}
