#!/usr/bin/env node
/**
 * Regenerates schema.ts, the protobuf field table the simulator uses to read
 * `application/vnd.kubernetes.protobuf` request bodies (what kubectl's typed
 * clients send for `create secret`, `create configmap`, `run`, ...).
 *
 * The table is derived from the Go struct tags of the API types, which carry
 * both encodings of every field: `json:"name,omitempty"` and
 * `protobuf:"bytes,3,opt,name=name"`. Usage, with checkouts of
 * k8s.io/api and k8s.io/apimachinery at the served version:
 *
 *   node gen-schema.mjs <k8s.io/api dir> <k8s.io/apimachinery dir> > schema.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [apiDir, machineryDir] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  console.error('usage: gen-schema.mjs <k8s.io/api dir> <k8s.io/apimachinery dir>');
  process.exit(2);
}

const SOURCES = [
  { pkg: '', file: join(apiDir, 'core/v1/types.go') },
  { pkg: 'apps.', file: join(apiDir, 'apps/v1/types.go') },
  { pkg: 'coordination.', file: join(apiDir, 'coordination/v1/types.go') },
  { pkg: 'meta.', file: join(machineryDir, 'pkg/apis/meta/v1/types.go') },
];
/** Kinds whose request bodies may arrive as protobuf. */
const ROOTS = [
  'Namespace', 'Node', 'Pod', 'Event', 'ConfigMap', 'Secret', 'ServiceAccount', 'Service', 'Endpoints',
  'ResourceQuota', 'LimitRange', 'apps.Deployment', 'apps.ReplicaSet', 'coordination.Lease', 'meta.DeleteOptions',
];
/** Types with their own JSON form (see decode.ts). */
const SPECIAL = {
  'metav1.Time': 'Time',
  'metav1.MicroTime': 'MicroTime',
  'metav1.Duration': 'Duration',
  'metav1.FieldsV1': 'FieldsV1',
  'resource.Quantity': 'Quantity',
  'intstr.IntOrString': 'IntOrString',
  'runtime.RawExtension': 'RawExtension',
  'types.UID': 's',
};

const structs = new Map();
const typedefs = new Map();

for (const { pkg, file } of SOURCES) {
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^type (\w+) (?!struct)(.+)$/gm)) typedefs.set(pkg + m[1], { pkg, type: m[2].trim() });
  for (const m of src.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields = [];
    for (const line of m[2].split('\n')) {
      const f = /^\t(?:(\w+)\s+)?(\*?[\w.[\]*]+)\s+`([^`]*)`/.exec(line);
      if (!f) continue;
      const tags = Object.fromEntries([...f[3].matchAll(/(\w+):"([^"]*)"/g)].map((t) => [t[1], t[2]]));
      if (!tags.protobuf) continue;
      const [wire, num] = tags.protobuf.split(',');
      const [jsonName = '', ...jsonOpts] = (tags.json ?? '').split(',');
      if (jsonName === '-') continue;
      fields.push({ num: Number(num), wire, goType: f[2], json: jsonName, omitempty: jsonOpts.includes('omitempty'), inline: jsonOpts.includes('inline') });
    }
    structs.set(pkg + m[1], { pkg, fields });
  }
}

/** A Go type, as written in package `pkg`, to [kind, pointer, repeated]. */
function resolve(goType, pkg) {
  let t = goType;
  let pointer = false;
  let repeated = false;
  if (t.startsWith('*')) {
    pointer = true;
    t = t.slice(1);
  }
  if (t === '[]byte') return ['y', pointer, false];
  if (t.startsWith('[]')) {
    repeated = true;
    t = t.slice(2);
    if (t.startsWith('*')) t = t.slice(1);
  }
  const map = /^map\[[\w.]+\](.+)$/.exec(t);
  if (map) return [`{${resolve(map[1], pkg)[0]}}`, pointer, repeated];
  if (t === 'string') return ['s', pointer, repeated];
  if (t === 'bool') return ['b', pointer, repeated];
  if (/^u?int(8|16|32|64)?$/.test(t) || t === 'float64' || t === 'float32') return [t, pointer, repeated];
  if (SPECIAL[t]) return [SPECIAL[t], pointer, repeated];
  if (pkg === 'meta.' && SPECIAL[`metav1.${t}`]) return [SPECIAL[`metav1.${t}`], pointer, repeated];
  if (t.startsWith('metav1.')) t = `meta.${t.slice(7)}`;
  else if (t.startsWith('v1.') || t.startsWith('corev1.')) t = t.slice(t.indexOf('.') + 1); // core/v1, imported by apps and coordination
  else if (t.includes('.')) throw new Error(`unknown qualified type ${goType}`);
  else t = pkg + t;
  if (structs.has(t)) return [t, pointer, repeated];
  const def = typedefs.get(t);
  if (def) {
    const [kind, , rep] = resolve(def.type, def.pkg);
    return [kind, pointer, repeated || rep];
  }
  throw new Error(`unknown type ${goType} (${t})`);
}

const out = new Map();
const queue = [...ROOTS];
while (queue.length) {
  const name = queue.shift();
  if (out.has(name)) continue;
  const s = structs.get(name);
  if (!s) throw new Error(`no struct ${name}`);
  const fields = s.fields.map((f) => {
    const [kind, pointer, repeated] = resolve(f.goType, s.pkg);
    const base = kind.startsWith('{') ? kind.slice(1, -1) : kind;
    if (structs.has(base)) queue.push(base);
    const flags = `${pointer ? 'p' : ''}${repeated ? 'r' : ''}${f.omitempty ? 'o' : ''}${f.inline ? 'i' : ''}`;
    return `${f.num}:${f.json}:${flags}:${kind}`;
  });
  out.set(name, fields.join(' '));
}

const lines = [...out.keys()].sort().map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(out.get(k))},`);
console.log(`/**
 * Generated by gen-schema.mjs from the struct tags of k8s.io/api and
 * k8s.io/apimachinery v0.32.0; do not edit.
 *
 * Per message: "number:jsonName:flags:kind" for each field. Flags: p pointer,
 * r repeated, o omitempty, i inlined into the parent's JSON. Kinds: s string,
 * b bool, int32/int64/... and float64 (the Go types), y bytes, {kind} map from string to kind, a special
 * (Time, MicroTime, Duration, FieldsV1, Quantity, IntOrString, RawExtension)
 * or another message.
 */
export const PROTOBUF_SCHEMA: Readonly<Record<string, string>> = {
${lines.join('\n')}
};`);
