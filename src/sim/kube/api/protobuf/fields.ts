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
