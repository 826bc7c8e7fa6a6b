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
import { PROTOBUF_SCHEMA } from './protobuf/schema.js';

interface Field {
  num: number;
  json: string;
  pointer: boolean;
  repeated: boolean;
  omitempty: boolean;
  inline: boolean;
  kind: string;
}

const cache = new Map<string, Field[]>();
function fieldsOf(message: string): Field[] {
  let fields = cache.get(message);
  if (!fields) {
    fields = (PROTOBUF_SCHEMA[message] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((f) => {
        const [num, json, flags, kind] = f.split(':') as [string, string, string, string];
        return { num: Number(num), json, pointer: flags.includes('p'), repeated: flags.includes('r'), omitempty: flags.includes('o'), inline: flags.includes('i'), kind };
      });
    cache.set(message, fields);
  }
  return fields;
}

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

interface Walk {
  unknown: string[];
}

/** One value of `kind` as Go would decode and re-encode it; undefined for a nil pointer/slice/map. */
function value(kind: string, v: unknown, path: string, walk: Walk): unknown {
  if (v === null || v === undefined) return undefined;
  switch (kind) {
    case 's':
    case 'b':
    case 'i':
    case 'f':
    case 'y':
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
      return isObject(v) ? struct(kind, v, path, walk) : v;
  }
}

/** The zero value of a non-pointer field of `kind`, as marshalled (undefined: omitted). */
function zero(kind: string, walk: Walk, path: string): unknown {
  switch (kind) {
    case 's':
      return '';
    case 'b':
      return false;
    case 'i':
    case 'f':
    case 'IntOrString':
      return 0;
    case 'Quantity':
      return '0';
    case 'Duration':
      return '0s';
    case 'Time':
    case 'MicroTime':
      return null;
    case 'y':
    case 'RawExtension':
    case 'FieldsV1':
      return undefined;
    default:
      return isMessage(kind) ? struct(kind, {}, path, walk) : undefined;
  }
}

/**
 * The fields of struct `message` read from `input`. `keys` gets, for each JSON
 * key the struct owns, the unknown fields found beneath it.
 */
function fields(message: string, input: Record<string, unknown>, path: string, keys: Map<string, string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fieldsOf(message)) {
    if (f.inline) {
      // An embedded struct reads its fields from the same JSON object.
      Object.assign(out, fields(f.kind, input, path, keys));
      continue;
    }
    const walk: Walk = { unknown: [] };
    keys.set(f.json, walk.unknown);
    const at = path ? `${path}.${f.json}` : f.json;
    const raw = input[f.json];
    const collection = f.repeated || f.kind.startsWith('{');
    let v: unknown;
    if (f.kind.startsWith('{')) {
      const valueKind = f.kind.slice(1, -1);
      v = isObject(raw) ? Object.fromEntries(Object.entries(raw).map(([k, x]) => [k, value(valueKind, x, `${at}[${k}]`, walk) ?? (valueKind === 's' ? '' : null)])) : (raw ?? undefined);
    } else if (f.repeated) {
      v = Array.isArray(raw) ? raw.map((x, i) => value(f.kind, x, `${at}[${i}]`, walk) ?? null) : (raw ?? undefined);
    } else {
      v = value(f.kind, raw, at, walk);
      if (v === undefined && !f.pointer) v = zero(f.kind, { unknown: [] }, at);
    }
    if (v === undefined) continue;
    // encoding/json never treats a struct as empty; omitempty drops every other zero value.
    const isStruct = !collection && isMessage(f.kind);
    if (f.omitempty && !isStruct && (collection || !f.pointer) && isZero(v)) continue;
    out[f.json] = v;
  }
  return out;
}

/** A struct, reporting unknown fields in document order as the strict JSON decoder meets them. */
function struct(message: string, input: Record<string, unknown>, path: string, walk: Walk): Record<string, unknown> {
  const keys = new Map<string, string[]>();
  const out = fields(message, input, path, keys);
  for (const k of Object.keys(input)) {
    const nested = keys.get(k);
    if (nested) walk.unknown.push(...nested);
    else if (!(path === '' && (k === 'apiVersion' || k === 'kind'))) walk.unknown.push(path ? `${path}.${k}` : k);
  }
  return out;
}

/**
 * Decodes `obj` into Go type `type` and marshals it again. Returns the result
 * and the paths of fields the type does not have (dropped).
 */
export function goRoundTrip<T extends Record<string, unknown>>(type: string, obj: T): { object: T; unknownFields: string[] } {
  const walk: Walk = { unknown: [] };
  const body = struct(type, obj, '', walk);
  const object = { ...(obj.apiVersion !== undefined ? { apiVersion: obj.apiVersion } : {}), ...(obj.kind !== undefined ? { kind: obj.kind } : {}), ...body } as unknown as T;
  return { object, unknownFields: walk.unknown };
}
