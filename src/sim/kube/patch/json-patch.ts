/**
 * RFC 6902 JSON Patch as the apiserver applies it (gopkg.in/evanphx/json-patch.v4).
 * Where that library departs from the RFC and clients can notice, we follow
 * the library: `replace` of a missing object member adds it (so kubectl
 * rollout undo's replace of /metadata/annotations works on an object that has
 * none), negative array indexes count from the end, and an op without `value`
 * writes null.
 */
import { badRequest } from '../status-error.js';
import { goJsonKind } from './go-format.js';
import { cloneJson, hasKey, isJsonObject, jsonEqual, setKey, type JsonObject } from './json-value.js';
import { rejected } from './patch-errors.js';

type Container = JsonObject | unknown[];

/** Where a pointer leads: the parent container, the member's decoded name, and the pointer itself for messages. */
interface Location {
  parent: Container;
  key: string;
  path: string;
}

/** Applies `ops` to a copy of `doc`; the inputs are never modified. */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  let root = cloneJson(doc);
  for (const op of decodeOperations(ops)) root = applyOperation(root, op);
  return root;
}

/** Shape errors fail decoding in the apiserver (400); everything later is a 422. */
function decodeOperations(ops: unknown): JsonObject[] {
  if (ops === null) return [];
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  return ops.map((op) => {
    if (op === null) return {};
    if (!isJsonObject(op)) {
      throw badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
    return op;
  });
}

function applyOperation(root: unknown, op: JsonObject): unknown {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add':
      insert(locate(root, pointer(op, 'path', kind), kind), valueOf(op));
      return root;
    case 'remove':
      remove(locate(root, pointer(op, 'path', kind), kind));
      return root;
    case 'replace':
      return replace(root, op);
    case 'move': {
      const from = locate(root, pointer(op, 'from', kind), kind);
      const value = read(from);
      if (value === undefined) throw rejected(`move operation does not apply: doc is missing from path: ${from.path}`);
      remove(from);
      insert(locate(root, pointer(op, 'path', kind), kind), value);
      return root;
    }
    case 'copy': {
      const from = locate(root, pointer(op, 'from', kind), kind);
      const value = read(from);
      if (value === undefined) throw rejected(`copy operation does not apply: doc is missing from path: ${from.path}`);
      insert(locate(root, pointer(op, 'path', kind), kind), cloneJson(value));
      return root;
    }
    case 'test':
      test(root, op);
      return root;
    default:
      throw rejected(`Unexpected kind: ${kind}`);
  }
}

function replace(root: unknown, op: JsonObject): unknown {
  const path = pointer(op, 'path', 'replace');
  const value = valueOf(op);
  if (path === '') {
    if (!Array.isArray(value) && !isJsonObject(value)) throw rejected('replace operation value must be object or array');
    return value;
  }
  const at = locate(root, path, 'replace');
  if (Array.isArray(at.parent)) at.parent[existingIndex(at.parent, at)] = value;
  else setKey(at.parent, at.key, value);
  return root;
}

/** Missing members and null compare equal, as in the library. */
function test(root: unknown, op: JsonObject): void {
  const path = pointer(op, 'path', 'test');
  const actual = path === '' ? root : read(locate(root, path, 'test'));
  const expected = hasKey(op, 'value') ? op.value : null;
  if (!jsonEqual(actual ?? null, expected)) throw rejected(`testing value ${path} failed: test failed`);
}

function pointer(op: JsonObject, field: 'path' | 'from', kind: string): string {
  const value = op[field];
  if (typeof value !== 'string') throw rejected(`${kind} operation missing ${field} field`);
  return value;
}

const valueOf = (op: JsonObject): unknown => (hasKey(op, 'value') ? cloneJson(op.value) : null);

/** RFC 6901: "~1" is "/", "~0" is "~", decoded in one pass so "~01" stays "~1". */
const decodeToken = (token: string): string => token.replace(/~[01]/g, (escape) => (escape === '~1' ? '/' : '~'));

/** Walks to the parent of the last token; every step before it must exist. */
function locate(root: unknown, path: string, kind: string): Location {
  const missing = () => rejected(`${kind} operation does not apply: doc is missing path: "${path}"`);
  if (!path.startsWith('/')) throw missing();
  const tokens = path.slice(1).split('/').map(decodeToken);
  const key = tokens.pop() ?? '';
  let node = root;
  for (const token of tokens) node = child(node, token);
  if (!Array.isArray(node) && !isJsonObject(node)) throw missing();
  return { parent: node, key, path };
}

function child(node: unknown, token: string): unknown {
  if (isJsonObject(node)) return hasKey(node, token) ? node[token] : undefined;
  if (!Array.isArray(node)) return undefined;
  const index = parseIndex(token);
  if (index === undefined) return undefined;
  const at = index < 0 ? index + node.length : index;
  return at >= 0 && at < node.length ? node[at] : undefined;
}

const parseIndex = (token: string): number | undefined => (/^-?\d+$/.test(token) ? Number(token) : undefined);

/** The member's value, or undefined when an object lacks it; bad array indexes fail. */
function read(at: Location): unknown {
  if (Array.isArray(at.parent)) return at.parent[existingIndex(at.parent, at)];
  return hasKey(at.parent, at.key) ? at.parent[at.key] : undefined;
}

/** An index that names an existing element, negative ones counting from the end. */
function existingIndex(list: unknown[], at: Location): number {
  const index = parseIndex(at.key);
  const length = list.length;
  if (index === undefined || index >= length || index < -length) {
    throw rejected(`Unable to access invalid index: ${at.key}: ${at.path}`);
  }
  return index < 0 ? index + length : index;
}

function insert(at: Location, value: unknown): void {
  if (!Array.isArray(at.parent)) {
    setKey(at.parent, at.key, value);
    return;
  }
  if (at.key === '-') {
    at.parent.push(value);
    return;
  }
  // Insertion may also target the position just past the end.
  const index = parseIndex(at.key);
  const slots = at.parent.length + 1;
  if (index === undefined || index >= slots || index < -slots) {
    throw rejected(`error in add for path: '${at.path}': invalid index ${at.key}`);
  }
  at.parent.splice(index < 0 ? index + slots : index, 0, value);
}

function remove(at: Location): void {
  if (Array.isArray(at.parent)) {
    at.parent.splice(existingIndex(at.parent, at), 1);
    return;
  }
  if (!hasKey(at.parent, at.key)) throw rejected(`Unable to remove nonexistent key: ${at.key}: ${at.path}`);
  delete at.parent[at.key];
}
