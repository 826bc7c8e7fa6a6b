import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { ActionFix } from '../../domain/finding.js';
import { parseImageRef } from '../../domain/image-ref.js';
import { isQuantity } from '../../domain/quantity.js';
import { MedicError } from '../../errors.js';
import { MAX_BUTTON_VALUE } from './limits.js';

/**
 * The button contract between the renderers and the action listeners: an
 * action ID says what to do, the value says to what.
 */
export const ACTION_IDS = {
  diagnose: 'deploy_diagnose',
  logs: 'deploy_logs',
  proposeRollback: 'deploy_propose_rollback',
  fixRollback: 'deploy_fix_rollback',
  fixSetImage: 'deploy_fix_set_image',
  fixSetMemory: 'deploy_fix_set_memory',
  fixSetProbe: 'deploy_fix_set_probe',
  fixResume: 'deploy_fix_resume',
  fixRestart: 'deploy_fix_restart',
  approve: 'deploy_approve',
  reject: 'deploy_reject',
  repropose: 'deploy_repropose',
  incidentAck: 'deploy_incident_ack',
  incidentEscalate: 'deploy_incident_escalate',
} as const;

/** Buttons whose value is a proposal ID, nothing else: the rest is read from the store. */
export const PROPOSAL_ACTION_IDS = [ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.repropose] as const;
export type ProposalActionId = (typeof PROPOSAL_ACTION_IDS)[number];

const PROPOSAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The proposal a button names; anything else is a USAGE error. */
export function decodeProposalId(raw: string): string {
  if (!PROPOSAL_ID.test(raw)) throw new MedicError('USAGE', `invalid button value: expected a proposal ID, got ${JSON.stringify(raw.slice(0, 60))}`);
  return raw;
}

/** Buttons whose value is an incident ID, nothing else ("Take it", "Escalate" on the incident's card). */
export const INCIDENT_ACTION_IDS = [ACTION_IDS.incidentAck, ACTION_IDS.incidentEscalate] as const;
export type IncidentActionId = (typeof INCIDENT_ACTION_IDS)[number];

/** services/incidents.ts names incidents `inc-` and 10 hex digits. */
const INCIDENT_ID = /^inc-[0-9a-f]{10}$/;

export const isIncidentId = (raw: string): boolean => INCIDENT_ID.test(raw);

/** The incident a button (or a command) names; anything else is a USAGE error. */
export function decodeIncidentId(raw: string): string {
  if (!INCIDENT_ID.test(raw)) throw new MedicError('USAGE', `invalid incident ID: expected inc- and 10 hex digits (for example inc-0a1b2c3d4e), got ${JSON.stringify(raw.slice(0, 60))}`);
  return raw;
}

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

/** The button of each fix the bot can carry out (as a proposal); `manual` ones are shown as commands. */
export const FIX_ACTION_IDS: Record<ActionFix['kind'], ActionId> = {
  rollback: ACTION_IDS.fixRollback,
  'set-image': ACTION_IDS.fixSetImage,
  'set-memory-limit': ACTION_IDS.fixSetMemory,
  'set-probe': ACTION_IDS.fixSetProbe,
  resume: ACTION_IDS.fixResume,
  restart: ACTION_IDS.fixRestart,
};

const ALL_IDS: readonly string[] = Object.values(ACTION_IDS);

/**
 * Slack rejects a block whose buttons share an action_id, so the second and
 * later buttons of one kind carry a suffix (`deploy_logs:2`); the listener
 * reads the kind back with this.
 */
export function baseActionId(actionId: string): ActionId | undefined {
  const base = actionId.replace(/:\d+$/, '');
  return ALL_IDS.includes(base) ? (base as ActionId) : undefined;
}

/** Numbers repeated action IDs across the message (stricter than Slack's per-block rule). */
export function withUniqueActionIds(blocks: KnownBlock[]): KnownBlock[] {
  const seen = new Map<string, number>();
  return blocks.map((block) => {
    if (block.type !== 'actions') return block;
    const elements = block.elements.map((el) => {
      if (el.type !== 'button' || !el.action_id) return el;
      const n = (seen.get(el.action_id) ?? 0) + 1;
      seen.set(el.action_id, n);
      return n === 1 ? el : { ...el, action_id: `${el.action_id}:${n}` };
    });
    return { ...block, elements };
  });
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const label = (what: string) => z.string().max(63, `${what} is longer than 63 characters`).regex(DNS1123_LABEL, `${what} is not a Kubernetes name`);
const subdomain = (what: string) => z.string().max(253, `${what} is longer than 253 characters`).regex(DNS1123_SUBDOMAIN, `${what} is not a Kubernetes name`);

/** Everything a listener needs to act without reading the message again. */
const buttonValueSchema = z
  .object({
    cluster: z.string().min(1, 'cluster is empty').max(253, 'cluster is longer than 253 characters'),
    namespace: label('namespace'),
    name: subdomain('name'),
    pod: subdomain('pod').optional(),
    container: label('container').optional(),
    previous: z.boolean().optional(),
    toRevision: z.number().int().positive('toRevision is not a positive integer').optional(),
    image: z.string().refine((s) => parseImageRef(s).ok, 'image is not a valid image reference').optional(),
    memory: z.string().refine(isQuantity, 'memory is not a Kubernetes quantity').optional(),
    probe: z.enum(['liveness', 'readiness', 'startup'], 'probe is not liveness, readiness or startup').optional(),
    port: z.number().int().min(1, 'port is not from 1 to 65535').max(65535, 'port is not from 1 to 65535').optional(),
    initialDelaySeconds: z.number().int().nonnegative('initialDelaySeconds is not a whole number from 0').optional(),
  })
  .strict();

export type ButtonValue = z.infer<typeof buttonValueSchema>;

/** The JSON a button carries, or why the value cannot ride on one (invalid, or longer than Slack allows). */
export function encodeButtonValue(value: ButtonValue): { json: string } | { problem: string } {
  const parsed = buttonValueSchema.safeParse(value);
  if (!parsed.success) return { problem: parsed.error.issues[0]!.message };
  const json = JSON.stringify(parsed.data);
  return json.length > MAX_BUTTON_VALUE ? { problem: `button value is ${json.length} characters; Slack allows ${MAX_BUTTON_VALUE}` } : { json };
}

/** The value of a pressed button; anything malformed is a USAGE error naming the problem. */
export function decodeButtonValue(raw: string): ButtonValue {
  const invalid = (why: string) => new MedicError('USAGE', `invalid button value: ${why}`);
  if (raw.length > MAX_BUTTON_VALUE) throw invalid(`${raw.length} characters, more than Slack's ${MAX_BUTTON_VALUE}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw invalid('not JSON');
  }
  const result = buttonValueSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.');
    throw invalid(issue.code === 'invalid_type' || issue.code === 'unrecognized_keys' ? `${field ? `${field}: ` : ''}${issue.message}` : issue.message);
  }
  return result.data;
}
