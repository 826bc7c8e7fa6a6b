import { Html, escapeHtml, html, safeUrl } from '../html.js';
import { emojify } from './emoji.js';
import { slackDateText } from './dates.js';

/** Who and what the names in a message refer to, and whose clock dates are shown on. */
export interface RenderContext {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  groupHandle(id: string): string | undefined;
  timeZone: string;
  now: Date;
}

/** Slack escapes only these three in message text; the console shows the characters. */
const decodeSlack = (t: string): string => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const PLACEHOLDER = /\u0001(\d+)\u0001/g;
const NOT_WORD = '[^\\p{L}\\p{N}]';
const emphasis = (marker: string, tag: string) => {
  const m = marker === '*' ? '\\*' : marker;
  return { re: new RegExp(`(?<=^|${NOT_WORD})${m}(?=\\S)([^\\n]*?\\S)${m}(?=$|${NOT_WORD})`, 'gu'), tag };
};
const EMPHASIS = [emphasis('*', 'b'), emphasis('_', 'i'), emphasis('~', 's')];

/**
 * Slack mrkdwn as Html: *bold*, _italic_, ~strike~, `code`, ```blocks```,
 * > quotes, links, user/channel/group mentions (shown by name), dates (in
 * the viewer's time zone) and :emoji:. Every piece of text is escaped.
 */
export function mrkdwnHtml(text: string, ctx: RenderContext): Html {
  const parts = text.split('```');
  return new Html(
    parts
      .map((part, i) => {
        // An unclosed fence is text, as in Slack.
        if (i % 2 === 1 && i < parts.length - 1) return html`<pre class="code-block">${decodeSlack(part.replace(/^\n/, '').replace(/\n$/, ''))}</pre>`.value;
        return quotedLines(i % 2 === 1 ? '```' + part : part, ctx);
      })
      .join(''),
  );
}

/** Lines starting with ">" are a quote; the rest is inline text. */
function quotedLines(text: string, ctx: RenderContext): string {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.map((l) => inline(l, ctx)).join('<br>')}</blockquote>`);
    quote = [];
  };
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const q = /^(?:&gt;|>)\s?(.*)$/.exec(line);
    if (q) return void quote.push(q[1]!);
    flush();
    out.push(inline(line, ctx) + (i < lines.length - 1 ? '<br>' : ''));
  });
  flush();
  return out.join('');
}

/** One line: code spans and <…> entities become placeholders so emphasis cannot reach into them. */
function inline(line: string, ctx: RenderContext): string {
  const tokens: string[] = [];
  const hold = (h: Html) => `\u0001${tokens.push(h.value) - 1}\u0001`;
  let out = '';
  let last = 0;
  for (const m of line.matchAll(/`([^`]+)`|<([^<>]+)>/g)) {
    out += plain(line.slice(last, m.index));
    out += hold(m[1] !== undefined ? html`<code>${decodeSlack(m[1])}</code>` : entity(m[2]!, ctx));
    last = m.index + m[0].length;
  }
  out += plain(line.slice(last));
  for (const { re, tag } of EMPHASIS) out = out.replace(re, `<${tag}>$1</${tag}>`);
  return out.replace(PLACEHOLDER, (_w, n: string) => tokens[Number(n)]!);
}

const plain = (t: string): string => escapeHtml(emojify(decodeSlack(t)));

/** A mention, a channel, a group, a special mention, a date or a link. */
function entity(body: string, ctx: RenderContext): Html {
  const bar = body.indexOf('|');
  const target = bar < 0 ? body : body.slice(0, bar);
  const label = bar < 0 ? undefined : decodeSlack(body.slice(bar + 1));
  if (/^@[UW][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    return html`<span class="mention" data-user="${id}">@${ctx.userName(id) ?? label ?? id}</span>`;
  }
  if (/^#[CGD][A-Z0-9]+$/.test(target)) {
    const id = target.slice(1);
    return html`<a class="mention channel-link" href="#/${id}">#${ctx.channelName(id) ?? label ?? id}</a>`;
  }
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    return html`<span class="mention">@${ctx.groupHandle(id) ?? label?.replace(/^@/, '') ?? id}</span>`;
  }
  if (/^!(here|channel|everyone)$/.test(target)) return html`<span class="mention">@${target.slice(1)}</span>`;
  if (target.startsWith('!date^')) {
    const [, seconds, format, link] = target.split('^');
    const text = slackDateText(Number(seconds), format ?? '', label ?? '', ctx);
    const href = link ? safeUrl(decodeSlack(link)) : undefined;
    return href ? html`<a href="${href}" target="_blank" rel="noopener noreferrer"><time>${text}</time></a>` : html`<time>${text}</time>`;
  }
  const href = safeUrl(decodeSlack(target));
  if (!href) return html`${label ?? decodeSlack(body)}`;
  return html`<a href="${href}" target="_blank" rel="noopener noreferrer">${label ?? decodeSlack(target)}</a>`;
}
