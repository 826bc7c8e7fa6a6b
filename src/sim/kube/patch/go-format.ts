/**
 * Renders JSON values the way the apiserver's Go error messages do, so the
 * texts kubectl prints match a real cluster.
 */
import { isJsonObject } from './json-value.js';

/** fmt's %v of a decoded JSON value: `map[k:v ...]` with sorted keys, `[a b]`, `<nil>`. */
export function goFormat(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goFormat).join(' ')}]`;
  if (isJsonObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${key}:${goFormat(value[key])}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

/** reflect.TypeOf(v) printed with %s; the apiserver decodes whole numbers as int64. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonObject(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  return typeof value === 'boolean' ? 'bool' : 'string';
}

/** The JSON kind encoding/json names in "cannot unmarshal X into Go value" errors. */
export function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}
