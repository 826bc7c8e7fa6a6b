/**
 * Kubernetes strategic merge patch, following the server side of
 * k8s.io/apimachinery/pkg/util/strategicpatch (mergeMap with
 * MergeParallelList and IgnoreUnmatchedNulls) and the status codes
 * k8s.io/apiserver gives its errors. Merge keys come from ./merge-keys.ts.
 *
 * Directives: `$patch: replace|delete` in a map or list item,
 * `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
 * `$patch: merge` is rejected as the apiserver rejects it: "merge" is only a
 * struct-tag strategy, never a patch directive.
 */
import { badRequest } from '../status-error.js';
import { goFormat, goJsonKind, goTypeName } from './go-format.js';
import { cloneObject, hasKey, isJsonObject, setKey, type JsonObject } from './json-value.js';
import { listMergeKey } from './merge-keys.js';
import { internalError, rejected } from './patch-errors.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';

/** Applies `patch` to a copy of the `kind` object `doc`; the inputs are never modified. */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string): unknown {
  const original = isJsonObject(doc) ? cloneObject(doc) : {};
  // Go decodes a `null` body into a nil map, which merges as nothing.
  if (patch === null) return original;
  if (!isJsonObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  return mergeMap(original, patch, kind, '');
}

/** Merges `patch` into `original` (a private copy, updated in place) at field path `path`. */
function mergeMap(original: JsonObject, patch: JsonObject, kind: string, path: string): JsonObject {
  if (hasKey(patch, PATCH)) return mapDirective(patch);
  if (hasKey(patch, RETAIN_KEYS)) retainKeys(original, patch);
  const ordered = applyElementOrders(original, patch, kind, path);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      deleteFromPrimitiveList(original, directiveTarget(key, DELETE_FROM_PRIMITIVE_LIST), value);
    } else if (!key.startsWith('$') && !ordered.has(key)) {
      mergeField(original, key, value, kind, join(path, key));
    }
  }
  return original;
}

function mapDirective(patch: JsonObject): JsonObject {
  const directive = patch[PATCH];
  if (directive === 'replace') return literalObject(patch);
  if (directive === 'delete') return {};
  throw internalError(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
}

function mergeField(original: JsonObject, key: string, value: unknown, kind: string, path: string): void {
  if (value === null) {
    delete original[key];
    return;
  }
  const current = hasKey(original, key) ? original[key] : undefined;
  if (isJsonObject(current) && isJsonObject(value)) {
    setKey(original, key, mergeMap(current, value, kind, path));
  } else if (Array.isArray(current) && Array.isArray(value)) {
    setKey(original, key, mergeList(current, value, kind, path));
  } else {
    setLiteral(original, key, value);
  }
}

/** Clears every key the directive does not list; the patch may only set listed keys. */
function retainKeys(original: JsonObject, patch: JsonObject): void {
  const retained = patch[RETAIN_KEYS];
  if (!Array.isArray(retained)) throw badRequest('invalid patch format of retainKeys');
  for (const [key, value] of Object.entries(patch)) {
    const exempt = key === RETAIN_KEYS || value === null || key.startsWith(DELETE_FROM_PRIMITIVE_LIST) || key.startsWith(SET_ELEMENT_ORDER);
    if (!exempt && !retained.includes(key)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const key of Object.keys(original)) {
    if (!retained.includes(key)) delete original[key];
  }
}

function deleteFromPrimitiveList(original: JsonObject, key: string, values: unknown): void {
  if (values === null) {
    delete original[key];
    return;
  }
  const current = hasKey(original, key) ? original[key] : undefined;
  if (Array.isArray(current) && Array.isArray(values)) {
    setKey(original, key, current.filter((item) => !values.includes(item)));
  }
}

/**
 * Handles each `$setElementOrder/<list>`: merges the list with its patch
 * (if any), then orders it by the directive. Returns the lists it merged.
 */
function applyElementOrders(original: JsonObject, patch: JsonObject, kind: string, path: string): Set<string> {
  const merged = new Set<string>();
  for (const [directive, order] of Object.entries(patch)) {
    if (!directive.startsWith(SET_ELEMENT_ORDER)) continue;
    const key = directiveTarget(directive, SET_ELEMENT_ORDER);
    const current = optionalList(original, key);
    const patchList = optionalList(patch, key);
    if (!Array.isArray(order)) throw badArgType([], order);
    if (!current && !patchList) continue;
    const listPath = join(path, key);
    const mergeKey = listMergeKey(kind, listPath) ?? '';
    if (patchList) checkOrderCoversPatch(patchList, order, mergeKey);
    const list = current && patchList ? mergeList(current, patchList, kind, listPath) : (current ?? literalList(patchList ?? []));
    const identify = identity([...(current ?? []), ...(patchList ?? [])], mergeKey);
    setKey(original, key, orderElements(list, order, current ?? [], identify));
    merged.add(key);
  }
  return merged;
}

function optionalList(object: JsonObject, key: string): unknown[] | undefined {
  if (!hasKey(object, key)) return undefined;
  const value = object[key];
  if (!Array.isArray(value)) throw badArgType([], value);
  return value;
}

/** Every non-directive patch item must appear in the order list, in the same relative order. */
function checkOrderCoversPatch(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((item) => !isDirectiveItem(item, 'delete')) : patchList;
  let next = 0;
  for (let o = 0; next < items.length && o < order.length; ) {
    const item = items[next];
    if (isJsonObject(item) && hasKey(item, PATCH)) {
      next++;
      continue;
    }
    if (sameElement(item, order[o], mergeKey)) next++;
    o++;
  }
  if (next < items.length) {
    throw internalError(
      `The order in patch list:\n${goFormat(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFormat(order)}\n`,
    );
  }
}

function sameElement(a: unknown, b: unknown, mergeKey: string): boolean {
  if (!mergeKey) return a === b;
  return mergeKeyOf(a, mergeKey) === mergeKeyOf(b, mergeKey);
}

function mergeList(original: unknown[], patch: unknown[], kind: string, path: string): unknown[] {
  const mergeKey = listMergeKey(kind, path);
  if (mergeKey === undefined) return literalList(patch);
  if (original.length === 0 && patch.length === 0) return original;
  if (!elementsAreMaps([original, patch])) {
    const union = [...new Set([...original, ...patch])];
    return orderElements(union, patch, original, (item) => item);
  }
  if (!mergeKey) throw internalError(`cannot merge lists without merge key for ${path}`);
  return mergeMapList(original, patch, mergeKey, kind, path);
}

/** Lists of maps merge item by item on the merge key; `$patch` items delete or replace. */
function mergeMapList(original: unknown[], patch: unknown[], mergeKey: string, kind: string, path: string): unknown[] {
  let base = original;
  let items: JsonObject[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isJsonObject(item)) continue; // elementsAreMaps() already ensured maps
    if (!hasKey(item, PATCH)) {
      items.push(item);
    } else if (item[PATCH] === 'delete') {
      const doomed = mergeKeyOf(item, mergeKey);
      base = base.filter((entry) => !(isJsonObject(entry) && hasKey(entry, mergeKey) && entry[mergeKey] === doomed));
    } else if (item[PATCH] === 'replace') {
      replace = true; // keep scanning: other $patch items are still validated
    } else if (item[PATCH] === 'merge') {
      throw internalError('merging lists cannot yet be specified in the patch');
    } else {
      throw internalError(`unknown patch type: ${goFormat(item[PATCH])} in map: ${goFormat(item)}`);
    }
  }
  if (replace) {
    base = items.map(literalObject);
    items = [];
  }
  const merged = [...base];
  for (const item of items) {
    const wanted = mergeKeyOf(item, mergeKey);
    const at = merged.findIndex((entry) => isJsonObject(entry) && hasKey(entry, mergeKey) && entry[mergeKey] === wanted);
    const match = merged[at];
    if (isJsonObject(match)) merged[at] = mergeMap(match, item, kind, `${path}[]`);
    else merged.push(literalObject(item));
  }
  return orderElements(merged, items, base, (item) => mergeKeyOf(item, mergeKey));
}

/**
 * The apiserver's ordering (normalizeElementOrder): elements named in `order`
 * follow it; the others keep their server order, each placed before the
 * first ordered element that came after it on the server. An ordered element
 * the server did not have goes before the server-only elements still waiting,
 * which is why a container added by a patch lands first.
 */
function orderElements(list: unknown[], order: unknown[], server: unknown[], identify: (item: unknown) => unknown): unknown[] {
  const orderIds = order.map(identify);
  const serverIds = server.map(identify);
  const entries = list.map((value) => ({ value, id: identify(value) }));
  type Entry = (typeof entries)[number];
  const by = (ids: unknown[]) => (a: Entry, b: Entry) => ids.indexOf(a.id) - ids.indexOf(b.id);
  const ordered = entries.filter((entry) => orderIds.includes(entry.id)).sort(by(orderIds));
  const serverOnly = entries.filter((entry) => !orderIds.includes(entry.id)).sort(by(serverIds));
  const result: unknown[] = [];
  let s = 0;
  let o = 0;
  while (s < serverOnly.length || o < ordered.length) {
    const fromServer = serverOnly[s];
    const fromOrder = ordered[o];
    if (fromServer && (!fromOrder || serverPrecedes(fromServer.id, fromOrder.id, serverIds))) {
      result.push(fromServer.value);
      s++;
    } else if (fromOrder) {
      result.push(fromOrder.value);
      o++;
    }
  }
  return result;
}

function serverPrecedes(a: unknown, b: unknown, serverIds: unknown[]): boolean {
  const ia = serverIds.indexOf(a);
  const ib = serverIds.indexOf(b);
  return ia >= 0 && ib >= 0 && ia < ib;
}

/** How elements of a list are told apart: by merge key for maps, by value otherwise. */
function identity(elements: unknown[], mergeKey: string): (item: unknown) => unknown {
  return mergeKey && elements.some(isJsonObject) ? (item) => mergeKeyOf(item, mergeKey) : (item) => item;
}

function mergeKeyOf(item: unknown, mergeKey: string): unknown {
  if (!isJsonObject(item)) throw badArgType({}, item);
  if (!hasKey(item, mergeKey)) throw internalError(`map: ${goFormat(item)} does not contain declared merge key: ${mergeKey}`);
  return item[mergeKey];
}

/** Whether the lists hold maps; all elements must share one type, and lists of lists are unsupported. */
function elementsAreMaps(lists: unknown[][]): boolean {
  const elements = lists.flat();
  const first = elements[0];
  if (Array.isArray(first)) throw rejected('lists of lists are not supported');
  if (elements.some((element) => goTypeName(element) !== goTypeName(first))) {
    throw internalError(`list element types are not identical: ${goFormat(lists)}`);
  }
  return isJsonObject(first);
}

const isDirectiveItem = (item: unknown, directive: string): boolean => isJsonObject(item) && item[PATCH] === directive;

/** The list a `$directive/<list>` key names; a malformed key is a 400 as in the apiserver. */
function directiveTarget(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw badRequest(
      prefix === SET_ELEMENT_ORDER ? 'invalid patch format of setElementOrder list' : 'invalid patch format of primitive list',
    );
  }
  return key.slice(slash + 1);
}

const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

const badArgType = (expected: unknown, actual: unknown) =>
  internalError(`expected a ${goTypeName(expected)}, but received a ${goTypeName(actual)}`);

/**
 * A patch value taken as is, the way the apiserver stores it after decoding
 * into the typed object: maps carrying `$patch` are dropped, other `$` keys
 * and null members vanish. Returns undefined when the value itself is dropped.
 */
function literal(value: unknown): unknown {
  if (Array.isArray(value)) return literalList(value);
  if (!isJsonObject(value)) return value;
  return hasKey(value, PATCH) ? undefined : literalObject(value);
}

function literalObject(object: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    if (!key.startsWith('$') && value !== null) setLiteral(result, key, value);
  }
  return result;
}

const literalList = (list: unknown[]): unknown[] => list.map(literal).filter((item) => item !== undefined);

function setLiteral(target: JsonObject, key: string, value: unknown): void {
  const kept = literal(value);
  if (kept === undefined) delete target[key];
  else setKey(target, key, kept);
}
