import { randomBytes } from 'node:crypto';
import type { Json, JsonObject } from './types.js';

/** Block Kit handling beyond validation: the IDs Slack fills in, and finding what a user can click. */

/**
 * Slack stores blocks with a `block_id` on every block and an `action_id` on
 * every interactive element, generating short random ones where the app sent
 * none; the stored message (and later payloads) carry those.
 */
export function withGeneratedIds(blocks: JsonObject[]): JsonObject[] {
  return blocks.map((block) => {
    const out: JsonObject = { ...block, block_id: typeof block.block_id === 'string' ? block.block_id : shortId() };
    if (Array.isArray(block.elements) && block.type === 'actions') out.elements = block.elements.map(withActionId);
    if (isObject(block.accessory)) out.accessory = withActionId(block.accessory);
    return out;
  });
}

function withActionId(el: Json): Json {
  if (!isObject(el) || el.type === 'image' || typeof el.action_id === 'string') return el;
  return { ...el, action_id: shortId() };
}

function shortId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}

export interface FoundButton {
  blockId: string;
  button: JsonObject;
}

/** The button a user would press: in an actions block or a section accessory, matched by action_id (and block_id). */
export function findButton(blocks: JsonObject[] | undefined, actionId: string, blockId?: string): FoundButton | undefined {
  for (const block of blocks ?? []) {
    const id = typeof block.block_id === 'string' ? block.block_id : '';
    if (blockId !== undefined && id !== blockId) continue;
    const candidates = [...(Array.isArray(block.elements) && block.type === 'actions' ? block.elements : []), block.accessory];
    for (const el of candidates) {
      if (isObject(el) && el.type === 'button' && el.action_id === actionId) return { blockId: id, button: el };
    }
  }
  return undefined;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
