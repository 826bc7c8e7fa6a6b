import { PROTOBUF_SCHEMA } from './schema.js';

/** One field of a Go API type, from the table generated out of its struct tags. */
export interface FieldSpec {
  num: number;
  json: string;
  pointer: boolean;
  repeated: boolean;
  omitempty: boolean;
  inline: boolean;
  kind: string;
}

const parsed = new Map<string, FieldSpec[]>();

/** The fields of a message type ("Pod", "apps.Deployment"); empty for a type the table lacks. */
export function fieldsOf(message: string): FieldSpec[] {
  let fields = parsed.get(message);
  if (!fields) {
    fields = (PROTOBUF_SCHEMA[message] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((f) => {
        const [num, json, flags, kind] = f.split(':') as [string, string, string, string];
        return { num: Number(num), json, pointer: flags.includes('p'), repeated: flags.includes('r'), omitempty: flags.includes('o'), inline: flags.includes('i'), kind };
      });
    parsed.set(message, fields);
  }
  return fields;
}

export const isInt = (kind: string) => /^u?int\d*$/.test(kind);
export const isFloat = (kind: string) => kind.startsWith('float');

/** What zeroOf answers for a message kind. */
export const STRUCT = Symbol('struct');

/** Kinds whose zero marshals to nothing: bytes and the opaque raw types. */
const OMITTED_ZERO = new Set(['y', 'RawExtension', 'FieldsV1']);

/**
 * The JSON a zero value of a non-struct `kind` marshals to; undefined when it is
 * omitted, and `struct` for a message kind, whose zero each caller builds its way.
 */
export function zeroOf(kind: string): unknown {
  if (isInt(kind) || isFloat(kind)) return 0;
  switch (kind) {
    case 's':
      return '';
    case 'b':
      return false;
    case 'IntOrString':
      return 0;
    case 'Quantity':
      return '0';
    case 'Duration':
      return '0s';
    case 'Time':
    case 'MicroTime':
      return null;
    default:
      return OMITTED_ZERO.has(kind) ? undefined : STRUCT;
  }
}
