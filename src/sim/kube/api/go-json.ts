/**
 * What becomes of a JSON object when the apiserver decodes it into its Go
 * type and marshals it again, which is what it stores and serves:
 *
 * - fields the type does not have are dropped (and reported, for
 *   fieldValidation=Strict/Warn);
 * - omitempty fields holding a zero value ("", 0, false, [], {}) disappear,
 *   pointers keep explicit zeros, fields without omitempty are always there;
 * - nested structs are never omitted (`resources: {}`, `status: {}`), and a
 *   zero metav1.Time in one marshals as null (`creationTimestamp: null` in a
 *   pod template, `lastProbeTime: null` in a condition);
 * - Times come back as RFC 3339 in UTC (whole seconds; microseconds for
 *   MicroTime), Quantities in canonical form ("1024Mi" → "1Gi").
 *
 * The field table is the one generated from the Go struct tags for protobuf.
 */
import { canonicalQuantity } from '../tables/quantity.js';
import { fieldsOf, isFloat, isInt, STRUCT, zeroOf } from './protobuf/fields.js';
import { PROTOBUF_SCHEMA } from './protobuf/schema.js';

/** The Go type behind an apiVersion and kind, when the simulator knows it. */
export function goTypeOf(apiVersion: string, kind: string): string | undefined {
  const prefix = apiVersion === 'v1' ? '' : apiVersion === 'apps/v1' ? 'apps.' : apiVersion === 'coordination.k8s.io/v1' ? 'coordination.' : undefined;
  if (prefix === undefined) return undefined;
  return PROTOBUF_SCHEMA[prefix + kind] !== undefined ? prefix + kind : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMessage = (kind: string) => PROTOBUF_SCHEMA[kind] !== undefined;

/** time.Time's JSON: RFC 3339 in UTC; whole seconds, or microseconds for MicroTime. Unparseable text is kept. */
function goTime(v: unknown, micro: boolean): unknown {
  if (typeof v !== 'string') return v;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(v);
  if (!m) return v;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return v;
  const iso = new Date(ms).toISOString().slice(0, 19);
  if (!micro) return `${iso}Z`;
  const frac = ((m[2] ?? '.').slice(1) + '000000').slice(0, 6);
  return `${iso}.${frac}Z`;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}


/** What a walk finds, in document order: unknown fields, and encoding/json's type errors. */
interface Walk {
  unknown: string[];
  errors: string[];
}

/** Where a value sits: its path with indices (for unknown fields) and without (as encoding/json names fields). */
interface At {
  path: string;
  plain: string;
  /** The Go struct holding the field. */
  struct: string;
}

const jsonKind = (v: unknown) => (Array.isArray(v) ? 'array' : isObject(v) ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v);
const goTypeName = (kind: string): string =>
  kind === 's' ? 'string' : kind === 'b' ? 'bool' : kind === 'y' ? '[]uint8' : isInt(kind) || isFloat(kind) ? kind : `v1.${kind.slice(kind.indexOf('.') + 1)}`;

/** json.UnmarshalTypeError's text, as the apiserver passes it on. */
function typeError(walk: Walk, at: At, v: unknown, type: string): void {
  const value = typeof v === 'number' ? `number${Number.isInteger(v) ? '' : ` ${v}`}` : jsonKind(v);
  walk.errors.push(`json: cannot unmarshal ${value} into Go struct field ${at.struct}.${at.plain} of type ${type}`);
}

/** One value of `kind` as Go would decode and re-encode it; undefined for a nil pointer/slice/map. */
function value(kind: string, v: unknown, at: At, walk: Walk): unknown {
  if (v === null || v === undefined) return undefined;
  const expect = (ok: boolean) => {
    if (!ok) typeError(walk, at, v, goTypeName(kind));
    return v;
  };
  if (isInt(kind)) return expect(typeof v === 'number' && Number.isInteger(v));
  if (isFloat(kind)) return expect(typeof v === 'number');
  switch (kind) {
    case 's':
      return expect(typeof v === 'string');
    case 'b':
      return expect(typeof v === 'boolean');
    case 'y':
      return expect(typeof v === 'string');
    case 'IntOrString':
    case 'Duration':
    case 'RawExtension':
    case 'FieldsV1':
      return v;
    case 'Time':
    case 'MicroTime':
      return goTime(v, kind === 'MicroTime');
    case 'Quantity':
      return typeof v === 'string' || typeof v === 'number' ? canonicalQuantity(v) : v;
    default:
      if (!isObject(v)) return expect(false);
      return struct(kind, v, at, walk);
  }
}

/** The zero value of a non-pointer field of `kind`, as marshalled (undefined: omitted). */
function zero(kind: string, at: At): unknown {
  const z = zeroOf(kind);
  if (z !== STRUCT) return z;
  return isMessage(kind) ? struct(kind, {}, at, { unknown: [], errors: [] }) : undefined;
}

/**
 * The fields of struct `message` read from `input`. `keys` gets, for each JSON
 * key the struct owns, what the walk found beneath it.
 */
function fields(message: string, input: Record<string, unknown>, at: At, keys: Map<string, Walk>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const structName = message.slice(message.indexOf('.') + 1);
  for (const f of fieldsOf(message)) {
    if (f.inline) {
      // An embedded struct reads its fields from the same JSON object.
      Object.assign(out, fields(f.kind, input, at, keys));
      continue;
    }
    const walk: Walk = { unknown: [], errors: [] };
    keys.set(f.json, walk);
    const here: At = { path: at.path ? `${at.path}.${f.json}` : f.json, plain: at.plain ? `${at.plain}.${f.json}` : f.json, struct: structName };
    const raw = input[f.json];
    const isMap = f.kind.startsWith('{');
    const collection = f.repeated || isMap;
    let v: unknown;
    if (isMap) {
      const valueKind = f.kind.slice(1, -1);
      if (isObject(raw)) {
        v = Object.fromEntries(Object.entries(raw).map(([k, x]) => [k, value(valueKind, x, { ...here, path: `${here.path}[${k}]` }, walk) ?? (valueKind === 's' ? '' : null)]));
      } else if (raw !== null && raw !== undefined) {
        typeError(walk, here, raw, `map[string]${goTypeName(valueKind)}`);
        v = raw;
      }
    } else if (f.repeated) {
      if (Array.isArray(raw)) v = raw.map((x, i) => value(f.kind, x, { ...here, path: `${here.path}[${i}]` }, walk) ?? null);
      else if (raw !== null && raw !== undefined) {
        typeError(walk, here, raw, `[]${goTypeName(f.kind)}`);
        v = raw;
      }
    } else {
      v = value(f.kind, raw, here, walk);
      if (v === undefined && !f.pointer) v = zero(f.kind, here);
    }
    if (v === undefined) continue;
    // encoding/json never treats a struct as empty; omitempty drops every other zero value.
    const isStruct = !collection && isMessage(f.kind);
    if (f.omitempty && !isStruct && (collection || !f.pointer) && isZero(v)) continue;
    out[f.json] = v;
  }
  return out;
}

/** A struct, reporting what it finds in document order, as the JSON decoder meets it. */
function struct(message: string, input: Record<string, unknown>, at: At, walk: Walk): Record<string, unknown> {
  const keys = new Map<string, Walk>();
  const out = fields(message, input, at, keys);
  for (const k of Object.keys(input)) {
    const nested = keys.get(k);
    if (nested) {
      walk.unknown.push(...nested.unknown);
      walk.errors.push(...nested.errors);
    } else if (!(at.path === '' && (k === 'apiVersion' || k === 'kind'))) walk.unknown.push(at.path ? `${at.path}.${k}` : k);
  }
  return out;
}

/**
 * Decodes `obj` into Go type `type` and marshals it again. Returns the result,
 * the paths of fields the type does not have (dropped), and the type errors
 * encoding/json would report (the apiserver refuses the object on the first).
 */
export function goRoundTrip<T extends Record<string, unknown>>(type: string, obj: T): { object: T; unknownFields: string[]; typeErrors: string[] } {
  const walk: Walk = { unknown: [], errors: [] };
  const body = struct(type, obj, { path: '', plain: '', struct: type }, walk);
  const object = { ...(obj.apiVersion !== undefined ? { apiVersion: obj.apiVersion } : {}), ...(obj.kind !== undefined ? { kind: obj.kind } : {}), ...body } as unknown as T;
  return { object, unknownFields: walk.unknown, typeErrors: walk.errors };
}
