import { describe, expect, it } from 'vitest';
import { parseBlocks, validateMessage } from '../../src/sim/slack/limits.js';
import type { JsonObject } from '../../src/sim/slack/types.js';

const errorsOf = (blocks: JsonObject[]) => validateMessage({ text: 'fallback', blocks })?.errors;
const plain = (text: string) => ({ type: 'plain_text', text });

describe('Block Kit limits', () => {
  it('checks buttons, fields, block_ids and block types', () => {
    const button = { type: 'button', action_id: 'go', text: plain('b'.repeat(76)) };
    expect(errorsOf([{ type: 'actions', elements: [button] }])).toEqual(['must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]']);
    const fields = Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' }));
    expect(errorsOf([{ type: 'section', fields }])).toEqual(['no more than 10 items allowed [json-pointer:/blocks/0/fields]']);
    expect(errorsOf([{ type: 'divider', block_id: 'a' }, { type: 'divider', block_id: 'a' }])).toEqual(['duplicate block_id [json-pointer:/blocks/1/block_id]']);
    expect(errorsOf([{ type: 'carousel' }])).toEqual(['failed to match all allowed schemas [json-pointer:/blocks/0]']);
    expect(errorsOf([{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }])).toEqual(['must be one of the provided values [json-pointer:/blocks/0/text/type]']);
    expect(errorsOf([{ type: 'section', text: { type: 'mrkdwn', text: '' } }])).toEqual(['must be more than 0 characters [json-pointer:/blocks/0/text/text]']);
    expect(errorsOf([{ type: 'section' }])).toEqual(['missing required field: text [json-pointer:/blocks/0]']);
    expect(errorsOf([{ type: 'context', elements: [{ type: 'image', image_url: 'https://x/y.png' }] }])).toEqual(['missing required field: alt_text [json-pointer:/blocks/0/elements/0]']);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateMessage({ text: '🚀'.repeat(40_000) })).toBeUndefined();
    expect(validateMessage({ text: '🚀'.repeat(40_001) })).toEqual({ error: 'msg_too_long' });
  });

  it('reads blocks from form strings and rejects what is not an array', () => {
    expect(parseBlocks('[{"type":"divider"}]')).toEqual({ blocks: [{ type: 'divider' }] });
    expect(parseBlocks('{"type":"divider"}')).toEqual({ error: 'invalid_blocks_format' });
    expect(parseBlocks('[not json')).toEqual({ error: 'invalid_blocks_format' });
    expect(parseBlocks(undefined)).toEqual({});
  });
});
