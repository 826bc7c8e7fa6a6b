/**
 * Reads `application/vnd.kubernetes.protobuf` bodies, which client-go's typed
 * clients send (kubectl create secret|configmap|namespace|deployment|service|
 * quota|serviceaccount, kubectl run). The object comes out as the JSON the
 * apiserver would serve after decoding it into its Go type: omitempty zero
 * values dropped, non-pointer structs present, Times and Quantities as strings.
 *
 * Wire format (k8s.io/apimachinery/pkg/runtime/serializer/protobuf): the magic
 * "k8s\0", then a runtime.Unknown {1: typeMeta {1: apiVersion, 2: kind},
 * 2: raw (the object's message), 3: contentEncoding, 4: contentType}.
 */
import { badRequest } from '../../status-error.js';
import { fieldsOf, isFloat, isInt, STRUCT, zeroOf } from './fields.js';
import { PROTOBUF_SCHEMA } from './schema.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** One field occurrence on the wire: a varint (as bigint), a fixed64/fixed32 payload, or bytes. */
type WireValue = { type: 0; value: bigint } | { type: 1 | 5; bytes: Buffer } | { type: 2; bytes: Buffer };

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw malformed('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
      if (shift > 63n) throw malformed('varint too long');
    }
  }

  take(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw malformed('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  field(): { num: number; value: WireValue } {
    const key = Number(this.varint());
    const num = key >>> 3;
    const type = key & 7;
    switch (type) {
      case 0:
        return { num, value: { type, value: this.varint() } };
      case 1:
        return { num, value: { type, bytes: this.take(8) } };
      case 2:
        return { num, value: { type, bytes: this.take(Number(this.varint())) } };
      case 5:
        return { num, value: { type, bytes: this.take(4) } };
      default:
        throw malformed(`unsupported wire type ${type}`);
    }
  }
}

const malformed = (why: string) => badRequest(`unable to decode protobuf body: ${why}`);

/** All occurrences of each field number, in wire order. */
function readMessage(buf: Buffer): Map<number, WireValue[]> {
  const r = new Reader(buf);
  const out = new Map<number, WireValue[]>();
  while (!r.done) {
    const { num, value } = r.field();
    const list = out.get(num);
    if (list) list.push(value);
    else out.set(num, [value]);
  }
  return out;
}

const bytesOf = (v: WireValue): Buffer => {
  if (v.type !== 2) throw malformed('expected a length-delimited field');
  return v.bytes;
};

/** A signed integer as Go's proto2 encodes int32/int64 (negatives as 64-bit two's complement). */
function integer(v: WireValue): number {
  if (v.type !== 0) throw malformed('expected a varint');
  return Number(BigInt.asIntN(64, v.value));
}

/** Expands packed repeated scalars into single values. */
function unpack(values: WireValue[], kind: string): WireValue[] {
  if (!isInt(kind) && kind !== 'b' && !isFloat(kind)) return values;
  return values.flatMap((v) => {
    if (v.type !== 2) return [v];
    const r = new Reader(v.bytes);
    const out: WireValue[] = [];
    while (!r.done) out.push(isFloat(kind) ? { type: 1, bytes: r.take(8) } : { type: 0, value: r.varint() });
    return out;
  });
}

/** Go's time.Time in JSON: RFC 3339 in UTC, whole seconds for Time, microseconds for MicroTime. */
function timeString(buf: Buffer, micro: boolean): string | undefined {
  const m = readMessage(buf);
  const seconds = m.get(1) ? integer(m.get(1)!.at(-1)!) : 0;
  const nanos = m.get(2) ? integer(m.get(2)!.at(-1)!) : 0;
  if (seconds === 0 && nanos === 0) return undefined; // the zero Time marshals as null
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let rest = Math.abs(nanos) / 1e9;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = Number((rest - m * 60).toFixed(9));
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

const lastString = (m: Map<number, WireValue[]>, num: number): string => (m.get(num) ? bytesOf(m.get(num)!.at(-1)!).toString('utf8') : '');

/** One value of a field of kind `kind`, or undefined for what Go marshals as null. */
function decodeValue(kind: string, v: WireValue): unknown {
  if (isInt(kind)) return integer(v);
  if (isFloat(kind)) {
    if (v.type !== 1) throw malformed('expected a fixed64');
    return v.bytes.readDoubleLE(0);
  }
  switch (kind) {
    case 's':
      return bytesOf(v).toString('utf8');
    case 'y':
      return bytesOf(v).toString('base64');
    case 'b':
      return integer(v) !== 0;
    case 'Time':
    case 'MicroTime':
      return timeString(bytesOf(v), kind === 'MicroTime');
    case 'Quantity':
      return lastString(readMessage(bytesOf(v)), 1);
    case 'Duration': {
      const m = readMessage(bytesOf(v));
      return goDuration(m.get(1) ? integer(m.get(1)!.at(-1)!) : 0);
    }
    case 'IntOrString': {
      const m = readMessage(bytesOf(v));
      const type = m.get(1) ? integer(m.get(1)!.at(-1)!) : 0;
      return type === 1 ? lastString(m, 3) : m.get(2) ? integer(m.get(2)!.at(-1)!) : 0;
    }
    case 'RawExtension':
    case 'FieldsV1': {
      const raw = readMessage(bytesOf(v)).get(1);
      if (!raw) return undefined;
      const text = bytesOf(raw.at(-1)!).toString('utf8');
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw malformed(`embedded object is not JSON`);
      }
    }
    default:
      return decodeMessage(kind, bytesOf(v));
  }
}

/** The JSON a zero value of `kind` marshals to, or undefined for omitted/null. */
function zeroValue(kind: string): unknown {
  const z = zeroOf(kind);
  if (z === STRUCT) return decodeMessage(kind, Buffer.alloc(0));
  return z ?? undefined;
}

const isZero = (v: unknown) => v === '' || v === false || v === 0 || v === undefined;

/** A message as json.Marshal of its Go struct would render it. */
function decodeMessage(message: string, buf: Buffer): Record<string, unknown> {
  const wire = readMessage(buf);
  const out: Record<string, unknown> = {};
  for (const f of fieldsOf(message)) {
    const occurrences = wire.get(f.num);
    if (f.inline) {
      const inner = occurrences ? decodeMessage(f.kind, Buffer.concat(occurrences.map(bytesOf))) : zeroValue(f.kind);
      Object.assign(out, inner);
      continue;
    }
    if (f.kind.startsWith('{')) {
      if (!occurrences) continue;
      const valueKind = f.kind.slice(1, -1);
      const map: Record<string, unknown> = {};
      for (const entry of occurrences) {
        const e = readMessage(bytesOf(entry));
        const key = lastString(e, 1);
        const value = e.get(2) ? decodeValue(valueKind, e.get(2)!.at(-1)!) : zeroValue(valueKind);
        map[key] = value ?? null;
      }
      out[f.json] = map;
      continue;
    }
    if (f.repeated) {
      if (!occurrences) continue; // a nil slice: omitted, or null (which the store drops)
      out[f.json] = unpack(occurrences, f.kind).map((v) => decodeValue(f.kind, v) ?? null);
      continue;
    }
    // Nested messages may arrive in pieces; proto merges them, the last scalar wins.
    const value = occurrences
      ? decodeValue(f.kind, f.kind in PROTOBUF_SCHEMA && occurrences.length > 1 ? { type: 2, bytes: Buffer.concat(occurrences.map(bytesOf)) } : occurrences.at(-1)!)
      : f.pointer
        ? undefined
        : zeroValue(f.kind);
    if (value === undefined) continue;
    // Pointers keep explicit zeros; plain fields drop them when omitempty (structs are never "empty").
    if (!f.pointer && f.omitempty && isZero(value)) continue;
    out[f.json] = value;
  }
  // Like gogo-protobuf's generated Unmarshal, fields this version does not know are skipped.
  return out;
}

/** Message names by apiVersion and kind, as the schema keys them. */
function messageFor(apiVersion: string, kind: string): string | undefined {
  if (kind === 'DeleteOptions') return 'meta.DeleteOptions';
  const prefix = apiVersion === 'v1' ? '' : apiVersion === 'apps/v1' ? 'apps.' : apiVersion === 'coordination.k8s.io/v1' ? 'coordination.' : undefined;
  if (prefix === undefined) return undefined;
  return PROTOBUF_SCHEMA[prefix + kind] !== undefined ? prefix + kind : undefined;
}

/** Decodes a Kubernetes protobuf body into the object's JSON form, apiVersion and kind included. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest('provided object is not a Kubernetes protobuf object: the prefix "k8s\\x00" is missing');
  }
  const unknown = readMessage(body.subarray(MAGIC.length));
  const typeMeta = unknown.get(1) ? readMessage(bytesOf(unknown.get(1)!.at(-1)!)) : new Map<number, WireValue[]>();
  const apiVersion = lastString(typeMeta, 1);
  const kind = lastString(typeMeta, 2);
  const encoding = lastString(unknown, 3);
  if (encoding) throw malformed(`content encoding ${encoding} is not supported`);
  const message = messageFor(apiVersion, kind);
  if (!message) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}" in scheme "pkg/runtime/scheme.go:100"`);
  const raw = unknown.get(2) ? bytesOf(unknown.get(2)!.at(-1)!) : Buffer.alloc(0);
  return { apiVersion, kind, ...decodeMessage(message, raw) };
}
