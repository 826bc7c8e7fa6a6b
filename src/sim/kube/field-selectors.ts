// Field selectors: fields.ParseSelector, then the resource's field label
// conversion (the apiserver's ConvertFieldLabel), then matching against the
// registry's selectable fields.
import { badRequest } from './status-error.js';

const goQuote = (s: string): string => JSON.stringify(s);

export interface FieldRequirement {
  field: string;
  op: 'eq' | 'neq';
  value: string;
  /** `field` split once at parse time: lists of 5,000 events test it 5,000 times. */
  path: readonly string[];
}

/** What a resource accepts in a fieldSelector: its registered conversion, or the metav1 default. */
export interface FieldLabelRules {
  /**
   * Labels the resource's registered conversion function accepts (including the
   * metadata.* ones it lists), answered otherwise with "field label not supported".
   * Absent: DefaultMetaV1FieldSelectorConversion (metadata.name and metadata.namespace only).
   */
  fieldLabels?: readonly string[];
  /** Old names the conversion rewrites, e.g. pods' spec.host → spec.nodeName. */
  fieldLabelAliases?: Readonly<Record<string, string>>;
}

/** Splits on commas not escaped by a backslash, keeping the backslashes (fields.splitTerms). */
function splitTerms(s: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(s.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(s.slice(start));
  return terms;
}

/** fields.UnescapeValue, with its error texts (an unescaped rune prints as its code point, as Go's %v does). */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/**
 * Parses a fieldSelector and runs each term (in sorted order, as the apiserver
 * does) through the resource's field label conversion. Errors are 400s with
 * the apiserver's messages.
 */
export function parseFieldSelector(raw: string | null | undefined, rules: FieldLabelRules): FieldRequirement[] {
  if (!raw) return [];
  const terms = splitTerms(raw).sort();
  const reqs: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    // The first operator occurrence splits the term; "!=" and "==" are tried before "=" at each position.
    let split: { lhs: string; op: '!=' | '==' | '='; rhs: string } | undefined;
    for (let i = 0; i < term.length && !split; i++) {
      for (const op of ['!=', '==', '='] as const) {
        if (term.startsWith(op, i)) {
          split = { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
          break;
        }
      }
    }
    if (!split) throw badRequest(`invalid selector: '${raw}'; can't understand '${term}'`);
    reqs.push({ field: split.lhs, op: split.op === '!=' ? 'neq' : 'eq', value: unescapeValue(split.rhs), path: [] });
  }
  return reqs.map((r) => {
    const field = convertFieldLabel(r.field, rules);
    return { ...r, field, path: (field === 'source' ? 'source.component' : field).split('.') };
  });
}

function convertFieldLabel(label: string, rules: FieldLabelRules): string {
  if (!rules.fieldLabels) {
    if (label === 'metadata.name' || label === 'metadata.namespace') return label;
    throw badRequest(`${goQuote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
  }
  const alias = rules.fieldLabelAliases?.[label];
  if (alias) return alias;
  if (!rules.fieldLabels.includes(label)) throw badRequest(`field label not supported: ${label}`);
  return label;
}

/** Reads a field label from an object the way the registries' GetAttrs expose it. */
export function fieldValue(obj: unknown, field: string, path: readonly string[] = (field === 'source' ? 'source.component' : field).split('.')): string {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') {
      cur = undefined;
      break;
    }
    cur = (cur as Record<string, unknown>)[p];
  }
  // Boolean fields (pods' spec.hostNetwork, nodes' spec.unschedulable) are strconv.FormatBool of a Go bool.
  if (BOOLEAN_FIELDS.has(field)) return cur === true ? 'true' : 'false';
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : String(cur);
}

const BOOLEAN_FIELDS = new Set(['spec.hostNetwork', 'spec.unschedulable']);

export function matchesFields(reqs: FieldRequirement[], obj: unknown): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field, r.path) === r.value) === (r.op === 'eq'));
}
