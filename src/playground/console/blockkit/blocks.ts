import { Html, html, joinHtml, safeUrl } from '../html.js';
import { emojify } from './emoji.js';
import { mrkdwnHtml, type RenderContext } from './mrkdwn.js';

/**
 * Block Kit as Slack lays it out: header, section (text, fields, accessory),
 * context, divider, actions (buttons with their style and confirm dialog),
 * image. Blocks come from the bot, so nothing about their shape is trusted:
 * a malformed or unknown block is shown as such, never thrown on.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

/** A text object: mrkdwn, or plain text (emoji shortcodes shown unless `emoji: false`). */
export function textHtml(t: unknown, ctx: RenderContext): Html {
  if (!isObj(t)) return html``;
  if (t.type === 'mrkdwn') return mrkdwnHtml(str(t.text), ctx);
  return html`${t.emoji === false ? str(t.text) : emojify(str(t.text))}`;
}

export function blocksHtml(blocks: unknown[], ctx: RenderContext): Html {
  return joinHtml(blocks.map((b) => blockHtml(b, ctx)));
}

function blockHtml(b: unknown, ctx: RenderContext): Html {
  if (!isObj(b)) return unsupported('not an object');
  switch (b.type) {
    case 'header':
      return html`<h3 class="bk-header">${textHtml(b.text, ctx)}</h3>`;
    case 'section':
      return sectionHtml(b, ctx);
    case 'context':
      return html`<div class="bk-context">${list(b.elements).map((e) => (e.type === 'image' ? imageHtml(e, 'bk-context-image') : html`<span>${textHtml(e, ctx)}</span>`))}</div>`;
    case 'divider':
      return html`<hr class="bk-divider">`;
    case 'actions':
      return html`<div class="bk-actions" data-block="${str(b.block_id)}">${list(b.elements).map((e) => elementHtml(e, ctx))}</div>`;
    case 'image':
      return html`<figure class="bk-image">${b.title ? html`<figcaption>${textHtml(b.title, ctx)}</figcaption>` : ''}${imageHtml(b, '')}</figure>`;
    default:
      return unsupported(str(b.type) || 'unknown');
  }
}

function sectionHtml(b: Obj, ctx: RenderContext): Html {
  const fields = list(b.fields);
  const accessory = isObj(b.accessory) ? html`<div class="bk-accessory">${b.accessory.type === 'image' ? imageHtml(b.accessory, 'bk-accessory-image') : elementHtml(b.accessory, ctx)}</div>` : '';
  return html`<div class="bk-section" data-block="${str(b.block_id)}"><div class="bk-section-body">${b.text ? html`<div class="bk-text">${textHtml(b.text, ctx)}</div>` : ''}${
    fields.length ? html`<div class="bk-fields">${fields.map((f) => html`<div class="bk-field">${textHtml(f, ctx)}</div>`)}</div>` : ''
  }</div>${accessory}</div>`;
}

/** An interactive element; only buttons act in the playground, the rest are shown disabled. */
function elementHtml(e: Obj, ctx: RenderContext): Html {
  if (e.type !== 'button') return html`<span class="bk-element-unsupported" title="not interactive in the playground">${textHtml(e.placeholder, ctx)}${e.placeholder ? '' : str(e.type)}</span>`;
  const style = e.style === 'primary' || e.style === 'danger' ? ` btn-${e.style}` : '';
  const url = safeUrl(str(e.url));
  const label = textHtml(e.text, ctx);
  if (url) return html`<a class="btn${style}" href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>`;
  const confirm = isObj(e.confirm) ? confirmHtml(e.confirm, ctx) : '';
  return html`<span class="btn-wrap"><button type="button" class="${`btn${style}`}" data-action="${str(e.action_id)}" data-confirm="${confirm ? 'yes' : 'no'}">${label}</button>${confirm}</span>`;
}

/** The dialog Slack shows before a confirmed button's click is sent; the client opens it. */
function confirmHtml(c: Obj, ctx: RenderContext): Html {
  const style = c.style === 'danger' ? 'btn-danger' : 'btn-primary';
  return html`<template class="confirm-dialog"><h4>${textHtml(c.title, ctx)}</h4><div class="confirm-text">${textHtml(c.text, ctx)}</div><div class="confirm-buttons"><button type="button" class="btn" value="deny">${textHtml(c.deny, ctx)}</button><button type="button" class="${`btn ${style}`}" value="confirm">${textHtml(c.confirm, ctx)}</button></div></template>`;
}

function imageHtml(e: Obj, cls: string): Html {
  const src = safeUrl(str(e.image_url));
  return src ? html`<img class="${cls}" src="${src}" alt="${str(e.alt_text)}" referrerpolicy="no-referrer">` : html`<span class="${cls}">[image: ${str(e.alt_text)}]</span>`;
}

const unsupported = (type: string) => html`<div class="bk-unsupported">[${type} block: not shown in the playground]</div>`;
