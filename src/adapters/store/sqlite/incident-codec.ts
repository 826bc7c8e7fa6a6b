import type { IncidentFacts } from '../../../domain/incident.js';
import { compact } from './codec.js';

/**
 * An incident's facts as one JSON column: the machine's state is read and written whole, and only
 * what queries need (phase, fingerprint, deployment, grace period) has columns of its own.
 * JSON turns dates into ISO strings; these are the fields that become dates again.
 */
/** Record fields a caller may pass along with the facts (a record is facts too); their columns hold them. */
const RECORD_KEYS = new Set(['id', 'fingerprint', 'channel', 'version', 'phase', 'parentTs']);

export const encodeFacts = (facts: IncidentFacts): string => JSON.stringify(Object.fromEntries(Object.entries(facts).filter(([key]) => !RECORD_KEYS.has(key))));

export function decodeFacts(text: string): IncidentFacts {
  const f = JSON.parse(text) as Record<string, unknown>;
  const date = (v: unknown) => new Date(v as string);
  const fix = f.fix as { at: unknown } | undefined;
  const ack = f.acknowledged as { at: unknown } | undefined;
  const resolved = f.resolved as { at: unknown; graceUntil: unknown } | undefined;
  return compact({
    ...f,
    openedAt: date(f.openedAt),
    fix: fix && { ...fix, at: date(fix.at) },
    acknowledged: ack && { ...ack, at: date(ack.at) },
    pages: (f.pages as { at: unknown }[]).map((p) => ({ ...p, at: date(p.at) })),
    unansweredDueAt: f.unansweredDueAt === undefined ? undefined : date(f.unansweredDueAt),
    resolved: resolved && { ...resolved, at: date(resolved.at), graceUntil: date(resolved.graceUntil) },
    closedAt: f.closedAt === undefined ? undefined : date(f.closedAt),
  }) as unknown as IncidentFacts;
}
