/**
 * HTML built from untrusted text: everything interpolated into `html`…`` is
 * escaped unless it is itself Html (made here), so a message, a pod name or a
 * log line can never become markup in the console.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((p, i) => (out += render(p) + strings[i + 1]!));
  return new Html(out);
}

/** Pieces of Html joined (a list of rendered items). */
export const joinHtml = (parts: readonly Part[]): Html => new Html(render(parts));

/** An http(s) or mailto URL, or undefined: anything else (javascript:, data:) never reaches an href. */
export function safeUrl(raw: string): string | undefined {
  try {
    const u = new URL(raw);
    return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.href : undefined;
  } catch {
    return undefined;
  }
}
