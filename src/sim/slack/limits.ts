import type { Json, JsonObject, MessagePayload } from './types.js';

/**
 * Slack's server-side message validation: the limits of the Block Kit reference
 * (docs.slack.dev/reference/block-kit) and of chat.postMessage, reported the way
 * Slack reports them — `invalid_blocks` with one `[ERROR] … [json-pointer:…]`
 * line per problem in `response_metadata.messages`.
 */

export const MAX_BLOCKS = 50;
export const MAX_MESSAGE_TEXT = 40_000;

export interface ValidationFailure {
  error: string;
  /** Problems without the `[ERROR] ` prefix, as in Slack's top-level `errors` array. */
  errors?: string[];
}

/** Blocks arrive as a JSON string (form bodies) or an array (JSON bodies). */
export function parseBlocks(raw: unknown): { blocks?: JsonObject[] } | ValidationFailure {
  if (raw === undefined || raw === null || raw === '') return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: 'invalid_blocks_format' };
    }
  }
  if (!Array.isArray(value)) return { error: 'invalid_blocks_format' };
  return { blocks: value as JsonObject[] };
}

export function validateMessage(msg: MessagePayload): ValidationFailure | undefined {
  const text = msg.text ?? '';
  if (!text && !(msg.blocks && msg.blocks.length)) return { error: 'no_text' };
  if (charLength(text) > MAX_MESSAGE_TEXT) return { error: 'msg_too_long' };
  if (!msg.blocks) return undefined;
  const errors = blockErrors(msg.blocks);
  return errors.length ? { error: 'invalid_blocks', errors } : undefined;
}

/** Slack's `response_metadata.messages` lines for a failure. */
export function metadataMessages(errors: string[]): string[] {
  return errors.map((e) => `[ERROR] ${e}`);
}

function blockErrors(blocks: Json[]): string[] {
  if (blocks.length > MAX_BLOCKS) return [`no more than ${MAX_BLOCKS} items allowed [json-pointer:/blocks]`];
  const errors: string[] = [];
  const seenIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isObject(block)) return errors.push(`must provide an object [json-pointer:${at}]`);
    if (typeof block.block_id === 'string') {
      if (charLength(block.block_id) > 255) errors.push(tooLong(255, `${at}/block_id`));
      if (seenIds.has(block.block_id)) errors.push(`duplicate block_id [json-pointer:${at}/block_id]`);
      seenIds.add(block.block_id);
    }
    errors.push(...checkBlock(block, at));
  });
  return errors;
}

function checkBlock(block: JsonObject, at: string): string[] {
  switch (block.type) {
    case 'section':
      return checkSection(block, at);
    case 'header':
      return checkText(block.text, `${at}/text`, 150, 'plain_text');
    case 'divider':
      return [];
    case 'context':
      return checkList(block.elements, `${at}/elements`, 10, (el, p) =>
        isObject(el) && el.type === 'image' ? checkImage(el, p) : checkText(el, p, 3000),
      );
    case 'actions':
      return checkList(block.elements, `${at}/elements`, 25, checkElement);
    case 'image':
      return checkImage(block, at);
    case 'markdown':
      return typeof block.text !== 'string' ? [missing('text', at)] : charLength(block.text) > 12_000 ? [tooLong(12_000, `${at}/text`)] : [];
    case 'rich_text':
      return Array.isArray(block.elements) ? [] : [missing('elements', at)];
    case undefined:
      return [missing('type', at)];
    default:
      return [`failed to match all allowed schemas [json-pointer:${at}]`];
  }
}

function checkSection(block: JsonObject, at: string): string[] {
  if (block.text === undefined && block.fields === undefined) return [missing('text', at)];
  const errors: string[] = [];
  if (block.text !== undefined) errors.push(...checkText(block.text, `${at}/text`, 3000));
  if (block.fields !== undefined) errors.push(...checkList(block.fields, `${at}/fields`, 10, (f, p) => checkText(f, p, 2000)));
  if (block.accessory !== undefined) {
    const acc = block.accessory;
    errors.push(...(isObject(acc) && acc.type === 'image' ? checkImage(acc, `${at}/accessory`) : checkElement(acc, `${at}/accessory`)));
  }
  return errors;
}

const INTERACTIVE_ELEMENTS = new Set([
  'button', 'overflow', 'datepicker', 'timepicker', 'datetimepicker', 'checkboxes', 'radio_buttons',
  'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_users_select', 'multi_conversations_select', 'multi_channels_select',
]);

function checkElement(el: Json, at: string): string[] {
  if (!isObject(el)) return [`must provide an object [json-pointer:${at}]`];
  if (typeof el.type !== 'string' || !INTERACTIVE_ELEMENTS.has(el.type)) return [`failed to match all allowed schemas [json-pointer:${at}]`];
  const errors: string[] = [];
  if (typeof el.action_id === 'string' && charLength(el.action_id) > 255) errors.push(tooLong(255, `${at}/action_id`));
  if (el.type !== 'button') return errors;
  errors.push(...checkText(el.text, `${at}/text`, 75, 'plain_text'));
  if (typeof el.value === 'string' && charLength(el.value) > 2000) errors.push(tooLong(2000, `${at}/value`));
  if (typeof el.url === 'string' && charLength(el.url) > 3000) errors.push(tooLong(3000, `${at}/url`));
  if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
    errors.push(`must be one of the provided values [json-pointer:${at}/style]`);
  }
  return errors;
}

function checkImage(el: JsonObject, at: string): string[] {
  const errors: string[] = [];
  if (typeof el.alt_text !== 'string') errors.push(missing('alt_text', at));
  else if (charLength(el.alt_text) > 2000) errors.push(tooLong(2000, `${at}/alt_text`));
  if (typeof el.image_url !== 'string' && !isObject(el.slack_file)) errors.push(missing('image_url', at));
  return errors;
}

function checkText(value: Json | undefined, at: string, max: number, only?: 'plain_text'): string[] {
  if (value === undefined) return [missing('text', at.slice(0, at.lastIndexOf('/')))];
  if (!isObject(value)) return [`must provide an object [json-pointer:${at}]`];
  const allowed = only ? [only] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) return [`must be one of the provided values [json-pointer:${at}/type]`];
  if (typeof value.text !== 'string') return [missing('text', at)];
  const n = charLength(value.text);
  if (n < 1) return [`must be more than 0 characters [json-pointer:${at}/text]`];
  if (n > max) return [tooLong(max, `${at}/text`)];
  return [];
}

function checkList(value: Json | undefined, at: string, max: number, each: (el: Json, at: string) => string[]): string[] {
  if (!Array.isArray(value)) return [missing(at.slice(at.lastIndexOf('/') + 1), at.slice(0, at.lastIndexOf('/')))];
  if (value.length === 0) return [`must provide at least 1 items [json-pointer:${at}]`];
  if (value.length > max) return [`no more than ${max} items allowed [json-pointer:${at}]`];
  return value.flatMap((el, i) => each(el, `${at}/${i}`));
}

const missing = (field: string, at: string): string => `missing required field: ${field} [json-pointer:${at}]`;
const tooLong = (max: number, at: string): string => `must be less than ${max + 1} characters [json-pointer:${at}]`;

/** Slack counts characters, not UTF-16 code units. */
function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
