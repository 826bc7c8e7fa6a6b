/**
 * Plain JSON values as JSON.parse produces them. Keys come from request
 * bodies, so objects are only ever read through own properties and written by
 * definition: a "__proto__" key stays data and never reaches a prototype.
 */
export type JsonObject = { [key: string]: unknown };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const hasKey = (object: JsonObject, key: string): boolean => Object.hasOwn(object, key);

export function setKey(object: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

export function cloneObject(object: JsonObject): JsonObject {
  const copy: JsonObject = {};
  for (const [key, value] of Object.entries(object)) setKey(copy, key, cloneJson(value));
  return copy;
}

export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  return isJsonObject(value) ? cloneObject(value) : value;
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => hasKey(b, key) && jsonEqual(a[key], b[key]));
  }
  return a === b;
}
