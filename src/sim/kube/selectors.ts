import { badRequest } from './status-error.js';

/** One requirement of a label selector (k8s.io/apimachinery/pkg/labels). */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'gt' | 'lt'; value: string };

export type LabelSelector = LabelRequirement[];

// ---------------------------------------------------------------------------
// Label selector parsing: a port of labels.Parse (apimachinery v0.32
// pkg/labels/selector.go), so a bad selector gets the apiserver's exact words.
// The apiserver answers 400 BadRequest with labels.Parse's error text as is.
// ---------------------------------------------------------------------------

type Token = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

const STRING_TO_TOKEN: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};
const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const isWhitespace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string) => '=!(),><'.includes(ch) && ch !== '';

interface Scanned {
  tok: Token;
  lit: string;
}

function lex(s: string): Scanned[] {
  let pos = 0;
  const read = () => (pos < s.length ? s[pos++]! : '');
  const out: Scanned[] = [];
  for (;;) {
    let ch = read();
    while (ch !== '' && isWhitespace(ch)) ch = read();
    if (ch === '') {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    pos--;
    if (isSpecialSymbol(ch)) {
      let buffer = '';
      let last: Scanned | undefined;
      for (;;) {
        const c = read();
        if (c === '') break;
        if (isSpecialSymbol(c)) {
          buffer += c;
          const tok = STRING_TO_TOKEN[buffer];
          if (tok) last = { tok, lit: buffer };
          else if (last) {
            pos--;
            break;
          }
        } else {
          pos--;
          break;
        }
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
    } else {
      let buffer = '';
      for (;;) {
        const c = read();
        if (c === '') break;
        if (isSpecialSymbol(c) || isWhitespace(c)) {
          pos--;
          break;
        }
        buffer += c;
      }
      out.push({ tok: STRING_TO_TOKEN[buffer] ?? 'id', lit: buffer });
    }
  }
}

class SelectorSyntaxError extends Error {}

/** labels.Parse: the requirements sorted by key, or the parser's error message. */
export function parseLabelSelector(raw: string | null | undefined): LabelSelector {
  if (!raw) return [];
  try {
    return new LabelParser(raw).parse();
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw badRequest(e.message);
    throw e;
  }
}

class LabelParser {
  private readonly items: Scanned[];
  private position = 0;

  constructor(selector: string) {
    this.items = lex(selector);
  }

  /** In a values context "in" and "notin" are plain identifiers ("x in (in)"). */
  private lookahead(values: boolean): Scanned {
    const item = this.items[this.position]!;
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'id', lit: item.lit } : item;
  }

  private consume(values: boolean): Scanned {
    const item = this.lookahead(values);
    this.position++;
    return item;
  }

  parse(): LabelSelector {
    const reqs: LabelSelector = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === 'id' || tok === '!') {
        let r: LabelRequirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          if (e instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        reqs.push(r);
        const next = this.consume(true);
        if (next.tok === 'eos') return sortByKey(reqs);
        if (next.tok === ',') {
          const after = this.lookahead(true);
          if (after.tok !== 'id' && after.tok !== '!') throw new SelectorSyntaxError(`found '${after.lit}', expected: identifier after ','`);
          continue;
        }
        throw new SelectorSyntaxError(`found '${next.lit}', expected: ',' or 'end of string'`);
      }
      if (tok === 'eos') return sortByKey(reqs);
      throw new SelectorSyntaxError(`found '${lit}', expected: !, identifier, or 'end of string'`);
    }
  }

  private parseRequirement(): LabelRequirement {
    let notExists = false;
    let { tok, lit } = this.consume(true);
    if (tok === '!') {
      notExists = true;
      ({ tok, lit } = this.consume(true));
    }
    if (tok !== 'id') throw new SelectorSyntaxError(`found '${lit}', expected: identifier`);
    const key = lit;
    // The parser validates the key with a nil field path, hence "<nil>:" in the message.
    const keyErrors = qualifiedNameErrors(key);
    if (keyErrors.length) throw new SelectorSyntaxError(`<nil>: Invalid value: ${goQuote(key)}: ${keyErrors.join('; ')}`);
    const next = this.lookahead(true).tok;
    if (notExists || next === 'eos' || next === ',') {
      return newRequirement(key, notExists ? 'notexists' : 'exists', []);
    }
    const opItem = this.consume(false);
    const op = ({ in: 'in', notin: 'notin', '=': 'eq', '==': 'eq', '!=': 'neq', '>': 'gt', '<': 'lt' } as const)[opItem.tok as string];
    if (!op) throw new SelectorSyntaxError(`found '${opItem.lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return newRequirement(key, op, [...values].sort());
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== '(') throw new SelectorSyntaxError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === 'id' || tok === ',') {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== ')') throw new SelectorSyntaxError(`found '${lit}', expected: ')'`);
      return s;
    }
    if (tok === ')') {
      this.consume(true);
      return new Set(['']);
    }
    throw new SelectorSyntaxError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'id') {
        s.add(lit);
        const next = this.lookahead(true);
        if (next.tok === ',') continue;
        if (next.tok === ')') return s;
        throw new SelectorSyntaxError(`found '${next.lit}', expected: ',' or ')'`);
      } else if (tok === ',') {
        if (s.size === 0) s.add('');
        const next = this.lookahead(true).tok;
        if (next === ')') {
          s.add('');
          return s;
        }
        if (next === ',') {
          this.consume(true);
          s.add('');
        }
      } else {
        throw new SelectorSyntaxError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(true).tok;
    if (next === 'eos' || next === ',') return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === 'id') return new Set([lit]);
    throw new SelectorSyntaxError(`found '${lit}', expected: identifier`);
  }
}

/** labels.NewRequirement's checks, aggregated like field.ErrorList.ToAggregate(). */
function newRequirement(key: string, op: LabelRequirement['op'], values: string[]): LabelRequirement {
  const errs: string[] = [];
  const keyErrors = qualifiedNameErrors(key);
  if (keyErrors.length) errs.push(`key: Invalid value: ${goQuote(key)}: ${keyErrors.join('; ')}`);
  const valuesField = `values: Invalid value: []string{${values.map(goQuote).join(', ')}}`;
  if ((op === 'in' || op === 'notin') && values.length === 0) errs.push(`${valuesField}: for 'in', 'notin' operators, values set can't be empty`);
  if ((op === 'eq' || op === 'neq') && values.length !== 1) errs.push(`${valuesField}: exact-match compatibility requires one single value`);
  if (op === 'gt' || op === 'lt') {
    if (values.length !== 1) errs.push(`${valuesField}: for 'Gt', 'Lt' operators, exactly one value is required`);
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${goQuote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
    });
  }
  values.forEach((v, i) => {
    const valueErrors = labelValueErrors(v);
    if (valueErrors.length) errs.push(`values[${i}][${key}]: Invalid value: ${goQuote(v)}: ${valueErrors.join('; ')}`);
  });
  if (errs.length) throw new SelectorSyntaxError(aggregate(errs));
  switch (op) {
    case 'in':
    case 'notin':
      return { key, op, values };
    case 'exists':
    case 'notexists':
      return { key, op };
    default:
      return { key, op, value: values[0]! };
  }
}

/** utilerrors.Aggregate's message: one error as is, several de-duplicated inside [...]. */
function aggregate(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

const sortByKey = (reqs: LabelSelector): LabelSelector => reqs.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => (a.key < b.key ? -1 : a.key > b.key ? 1 : i - j)).map(([r]) => r);

/** Go's %q for the strings selectors contain. */
const goQuote = (s: string): string => JSON.stringify(s);

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG = `must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME_FMT}')`;
const DNS1123_SUBDOMAIN_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const LABEL_VALUE_FMT = '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?';
const LABEL_VALUE = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** validation.IsQualifiedName. */
export function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (!prefix) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!DNS1123_SUBDOMAIN.test(prefix)) {
        errs.push(
          `prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN_FMT}')`,
        );
      }
    }
  } else {
    return [`a qualified name ${QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (!name) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!QUALIFIED_NAME.test(name)) errs.push(`name part ${QUALIFIED_NAME_MSG}`);
  return errs;
}

/** validation.IsValidLabelValue. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE_FMT}')`,
    );
  }
  return errs;
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
      case 'gt':
      case 'lt': {
        // Both sides must parse as int64; anything else never matches.
        if (!has || !/^[+-]?\d+$/.test(l[r.key]!)) return false;
        const have = BigInt(l[r.key]!);
        const want = BigInt(r.value);
        return r.op === 'gt' ? have > want : have < want;
      }
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
        case 'gt':
          return `${r.key}>${r.value}`;
        case 'lt':
          return `${r.key}<${r.value}`;
      }
    })
    .join(',');
}
