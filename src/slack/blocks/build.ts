import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { encodeButtonValue, withUniqueActionIds, type ActionId, type ButtonValue } from './actions.js';
import { escapeMrkdwn } from './escape.js';
import {
  ELLIPSIS,
  MAX_ACTIONS_ELEMENTS,
  MAX_BUTTON_TEXT,
  MAX_CONTEXT_ELEMENTS,
  MAX_CONTEXT_TEXT,
  MAX_FALLBACK_TEXT,
  MAX_HEADER_TEXT,
  MAX_SECTION_TEXT,
  clipMrkdwn,
  clipPlain,
  countOf,
  fitLines,
} from './limits.js';
import type { SlackMessage } from './types.js';

/**
 * Block constructors that cannot exceed Slack's limits: every text is clipped
 * here, so renderers only decide what to say. mrkdwn arguments must already
 * be escaped (escape.ts); plain-text arguments are shown as they are.
 */

/** verbatim: no auto-linking of URLs, #channels or @mentions in cluster text. */
export function mrkdwn(text: string, max: number = MAX_SECTION_TEXT): MrkdwnElement {
  return { type: 'mrkdwn', text: clipMrkdwn(text, max), verbatim: true };
}

export function header(plain: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clipPlain(plain, MAX_HEADER_TEXT), emoji: true } };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function context(...texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, MAX_CONTEXT_ELEMENTS).map((t) => mrkdwn(t, MAX_CONTEXT_TEXT)) };
}

export const divider = (): DividerBlock => ({ type: 'divider' });

/**
 * A button, or nothing when its value cannot be sent (not a Kubernetes name,
 * too long): a card missing one button beats no card at 3 a.m.
 */
export function button(label: string, actionId: ActionId, value: ButtonValue, style?: 'primary' | 'danger'): Button | undefined {
  const encoded = encodeButtonValue(value);
  if ('problem' in encoded) return undefined;
  return {
    type: 'button',
    text: { type: 'plain_text', text: clipPlain(label, MAX_BUTTON_TEXT), emoji: true },
    action_id: actionId,
    value: encoded.json,
    ...(style ? { style } : {}),
  };
}

/** Cluster text as escaped mrkdwn on one line of at most `max` characters. */
export const oneLine = (raw: string, max: number): string => clipMrkdwn(escapeMrkdwn(raw.replace(/\s*\n\s*/g, ' ')), max);

/** The line under a list cut short. */
export const andMore = (n: number, one: string, many?: string): string => `${ELLIPSIS}and ${countOf(n, `more ${one}`, `more ${many ?? `${one}s`}`)}`;

/** A titled list for one section: the items that fit, then how many did not. */
export function listText(title: string, items: string[], one: string, many?: string): string {
  const more = (n: number) => `\n${andMore(n, one, many)}`;
  const { kept, hidden } = fitLines(items, MAX_SECTION_TEXT - title.length - 1 - more(items.length).length);
  return `${title}\n${kept.join('\n')}${hidden ? more(hidden) : ''}`;
}

/** An actions block, or nothing when there is nothing to press. */
export function actions(buttons: Array<Button | undefined>): ActionsBlock[] {
  const present = buttons.filter((b) => b !== undefined);
  return present.length ? [{ type: 'actions', elements: present.slice(0, MAX_ACTIONS_ELEMENTS) }] : [];
}

/** A button that carries a proposal ID; destructive ones ask first. */
export function proposalButton(label: string, actionId: ActionId, proposalId: string, style?: 'primary' | 'danger', confirm?: { title: string; text: string; yes: string }): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: clipPlain(label, MAX_BUTTON_TEXT), emoji: true },
    action_id: actionId,
    value: proposalId,
    ...(style ? { style } : {}),
    ...(confirm
      ? {
          confirm: {
            title: { type: 'plain_text', text: clipPlain(confirm.title, 100) },
            text: { type: 'mrkdwn', text: clipMrkdwn(confirm.text, 300) },
            confirm: { type: 'plain_text', text: clipPlain(confirm.yes, 30) },
            deny: { type: 'plain_text', text: 'Cancel' },
            ...(style === 'danger' ? { style: 'danger' } : {}),
          },
        }
      : {}),
  };
}

/** The finished message: the fallback escaped on one line, action IDs made unique. */
export function slackMessage(fallback: string, blocks: KnownBlock[]): SlackMessage {
  return { text: oneLine(fallback, MAX_FALLBACK_TEXT), blocks: withUniqueActionIds(blocks) };
}
