/**
 * RFC 7386 JSON Merge Patch: objects merge member by member, a null member
 * deletes, and any other value (arrays included) replaces the target whole.
 */
import { cloneJson, hasKey, isJsonObject, setKey } from './json-value.js';

/** Returns the patched copy of `doc`; the inputs are never modified. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergeInto(cloneJson(doc), patch);
}

/** `target` is already a private copy, so it is updated in place. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setKey(result, key, mergeInto(hasKey(result, key) ? result[key] : undefined, value));
  }
  return result;
}
