import type { KnownBlock } from '@slack/types';
import { validateMessage } from '../../src/sim/slack/limits.js';
import type { JsonObject } from '../../src/sim/slack/types.js';
import { INCIDENT_ACTION_IDS, PROPOSAL_ACTION_IDS, baseActionId, decodeButtonValue, decodeIncidentId, decodeProposalId, type ButtonValue } from '../../src/slack/blocks/actions.js';
import type { SlackMessage } from '../../src/slack/blocks/types.js';

/**
 * For tests: every way a message could be rejected by Slack or mislead a
 * reader, checked independently of the builders (numbers written out, not
 * imported from limits.ts), so a builder that forgets to clip is caught;
 * and a second opinion from the Slack emulator's own validation.
 */
export function messageProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const slack = validateMessage({ text: message.text, blocks: JSON.parse(JSON.stringify(message.blocks)) as JsonObject[] });
  if (slack) problems.push(`Slack emulator: ${slack.error} ${(slack.errors ?? []).join('; ')}`.trim());
  const check = (ok: boolean, problem: string) => void (ok || problems.push(problem));
  check(message.text.trim().length > 0, 'text: empty fallback');
  check(message.text.length <= 1000, `text: ${message.text.length} characters`);
  problems.push(...mrkdwnProblems(message.text, 'text'));
  check(message.blocks.length >= 1 && message.blocks.length <= 50, `${message.blocks.length} blocks`);
  const actionIds = new Set<string>();
  message.blocks.forEach((block, i) => problems.push(...blockProblems(block, `blocks/${i}`, actionIds)));
  return problems;
}

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string; verbatim?: boolean };

function blockProblems(block: KnownBlock, at: string, actionIds: Set<string>): string[] {
  switch (block.type) {
    case 'header':
      return textProblems(block.text, `${at}/text`, 150, 'plain_text');
    case 'section':
      return [
        ...(block.text ? textProblems(block.text, `${at}/text`, 3000) : [`${at}: section without text`]),
        ...(block.fields ?? []).flatMap((f, j) => textProblems(f, `${at}/fields/${j}`, 2000)),
        ...(block.accessory ? [`${at}: unexpected accessory`] : []),
      ];
    case 'context':
      return [
        ...(block.elements.length >= 1 && block.elements.length <= 10 ? [] : [`${at}: ${block.elements.length} context elements`]),
        ...block.elements.flatMap((el, j) => ('text' in el && typeof el.text === 'string' ? textProblems(el as TextObject, `${at}/elements/${j}`, 3000) : [`${at}/elements/${j}: not text`])),
      ];
    case 'actions':
      return [
        ...(block.elements.length >= 1 && block.elements.length <= 25 ? [] : [`${at}: ${block.elements.length} actions`]),
        ...block.elements.flatMap((el, j) => {
          const p = `${at}/elements/${j}`;
          if (el.type !== 'button') return [`${p}: not a button`];
          const id = el.action_id ?? '';
          const out = [...textProblems(el.text, `${p}/text`, 75, 'plain_text')];
          if (!baseActionId(id) || id.length > 255) out.push(`${p}: action_id ${JSON.stringify(id)}`);
          if (actionIds.has(id)) out.push(`${p}: duplicate action_id ${id}`);
          actionIds.add(id);
          if ((el.value ?? '').length > 2000) out.push(`${p}: value of ${el.value?.length} characters`);
          try {
            decodeValue(id, el.value ?? '');
          } catch (e) {
            out.push(`${p}: ${(e as Error).message}`);
          }
          return out;
        }),
      ];
    case 'divider':
      return [];
    default:
      return [`${at}: unexpected block type ${block.type}`];
  }
}

function textProblems(t: TextObject, at: string, max: number, only?: 'plain_text'): string[] {
  const out: string[] = [];
  if (only && t.type !== only) out.push(`${at}: ${t.type}, expected ${only}`);
  if (t.text.length < 1 || t.text.length > max) out.push(`${at}: ${t.text.length} characters (1..${max})`);
  if (LONE_SURROGATE.test(t.text)) out.push(`${at}: lone surrogate`);
  if (t.type === 'mrkdwn') {
    if (t.verbatim !== true) out.push(`${at}: mrkdwn without verbatim`);
    out.push(...mrkdwnProblems(t.text, at));
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** The only <…> we write on purpose: user mentions and dates. */
const ALLOWED_TOKEN = /<@[UW][A-Z0-9]+>|<!date\^\d+\^[^|<>]+\|[^<>]*>/g;

/** Unescaped &, < or > (a would-be link or mention), an open ``` fence, a split surrogate. */
export function mrkdwnProblems(text: string, at: string): string[] {
  const out: string[] = [];
  const rest = text.replace(ALLOWED_TOKEN, '');
  if (/[<>]/.test(rest)) out.push(`${at}: unescaped < or > in ${JSON.stringify(rest.slice(Math.max(0, rest.search(/[<>]/) - 20), rest.search(/[<>]/) + 20))}`);
  if (/&(?!(amp|lt|gt);)/.test(rest)) out.push(`${at}: unescaped &`);
  if ((text.split('```').length - 1) % 2 !== 0) out.push(`${at}: unbalanced code fence`);
  if (LONE_SURROGATE.test(text)) out.push(`${at}: lone surrogate`);
  return out;
}

/** Every mrkdwn and plain text of a message, for "does it say X" assertions. */
export function allText(message: SlackMessage): string {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'text' && typeof x === 'string') out.push(x);
        else visit(x);
      }
    }
  };
  visit(message.blocks);
  return out.join('\n');
}

type DecodedValue = Partial<ButtonValue> & { proposalId?: string; incidentId?: string };

/** A button's value as its listener reads it: a proposal ID for Approve/Reject, a target for the rest. */
function decodeValue(actionId: string, raw: string): DecodedValue {
  const kind = baseActionId(actionId);
  if (kind && (INCIDENT_ACTION_IDS as readonly string[]).includes(kind)) return { incidentId: decodeIncidentId(raw) };
  return kind && (PROPOSAL_ACTION_IDS as readonly string[]).includes(kind) ? { proposalId: decodeProposalId(raw) } : decodeButtonValue(raw);
}

/** Every button with its decoded value, in order. */
export function buttonsOf(message: SlackMessage): Array<{ text: string; actionId: string; value: DecodedValue }> {
  return message.blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.flatMap((el) => (el.type === 'button' ? [{ text: el.text.text, actionId: el.action_id ?? '', value: decodeValue(el.action_id ?? '', el.value ?? '') }] : [])) : [],
  );
}
