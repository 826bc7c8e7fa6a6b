import { badRequest } from './status-error.js';

/** One requirement of a label selector (k8s.io/apimachinery/pkg/labels). */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelSelector = LabelRequirement[];

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas that are not inside a parenthesised value set. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseLabelSelector(raw: string | null | undefined): LabelSelector {
  if (!raw) return [];
  return splitTopLevel(raw).map((term) => {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    let req: LabelRequirement;
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim()).filter((v) => v !== '');
      req = { key: set[1]!, op: set[2] as 'in' | 'notin', values };
      values.forEach((v) => checkValue(v, raw));
    } else if (term.startsWith('!')) {
      req = { key: term.slice(1).trim(), op: 'notexists' };
    } else {
      const m = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
      if (m) {
        req = { key: m[1]!, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]!.trim() };
        checkValue(req.value, raw);
      } else req = { key: term, op: 'exists' };
    }
    if (!KEY.test(req.key)) throw badRequest(`unable to parse requested label selector "${raw}": invalid label key "${req.key}"`);
    return req;
  });
}

function checkValue(v: string, raw: string): void {
  if (v.length > 63 || !VALUE.test(v)) throw badRequest(`unable to parse requested label selector "${raw}": invalid label value: "${v}"`);
}

export function matchesLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return sel.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]!);
      case 'notin':
        return !has || !r.values.includes(l[r.key]!);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

/** A metav1.LabelSelector (matchLabels + matchExpressions) as requirements. */
export function fromLabelSelectorSpec(spec: {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
} | undefined): LabelSelector {
  if (!spec) return [];
  const reqs: LabelSelector = Object.entries(spec.matchLabels ?? {}).map(([key, value]) => ({ key, op: 'eq', value }));
  for (const e of spec.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'in' || op === 'notin') reqs.push({ key: e.key, op, values: e.values ?? [] });
    else if (op === 'exists') reqs.push({ key: e.key, op: 'exists' });
    else if (op === 'doesnotexist') reqs.push({ key: e.key, op: 'notexists' });
  }
  return reqs;
}

export function formatLabelSelector(sel: LabelSelector): string {
  return sel
    .map((r) => {
      switch (r.op) {
        case 'eq':
          return `${r.key}=${r.value}`;
        case 'neq':
          return `${r.key}!=${r.value}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case 'notexists':
          return `!${r.key}`;
      }
    })
    .join(',');
}

export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
}

/** Field selectors: `a=b`, `a==b`, `a!=b`, comma-separated, with `\,` escapes. */
export function parseFieldSelector(raw: string | null | undefined, supported: readonly string[], plural: string): FieldRequirement[] {
  if (!raw) return [];
  const terms = raw.split(/(?<!\\),/).map((t) => t.trim()).filter((t) => t !== '');
  return terms.map((term) => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${raw}'; can't understand '${term}'`);
    const field = m[1]!;
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !supported.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    return { field, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3]!.replace(/\\(.)/g, '$1') };
  });
}

/** Reads a field label from an object; `source` on events means source.component, as in the apiserver. */
export function fieldValue(obj: unknown, field: string): string {
  const path = field === 'source' ? 'source.component' : field;
  let cur: unknown = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === 'eq'));
}
