/**
 * PATCH for the simulated apiserver: picks the patch format from the request's
 * Content-Type the way k8s.io/apiserver's PatchResource does.
 */
import { badRequest, StatusError } from '../status-error.js';
import { isJsonObject } from './json-value.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';

export { applyJsonPatch, applyMergePatch, applyStrategicMergePatch };

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** Server-side apply (application/apply-patch+yaml) is not simulated, so it is not offered. */
export const PATCH_CONTENT_TYPES: readonly string[] = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH];

/**
 * Applies the parsed JSON request `body` to the stored `kind` object `doc`
 * and returns the patched copy; `doc` is never modified. Failures are
 * StatusErrors carrying the code, reason and message a real apiserver sends.
 */
export function applyPatch(contentType: string, doc: unknown, body: unknown, kind: string): unknown {
  // Like the apiserver: parameters such as "; charset=utf-8" are ignored, the rest must match exactly.
  const separator = contentType.indexOf(';');
  const mediaType = separator > 0 ? contentType.slice(0, separator) : contentType;
  switch (mediaType) {
    case JSON_PATCH:
      return applyJsonPatch(doc, body);
    case MERGE_PATCH:
      return applyMergePatchToObject(doc, body);
    case STRATEGIC_MERGE_PATCH:
      return applyStrategicMergePatch(doc, body, kind);
    default:
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_CONTENT_TYPES.join(', ')}`,
      );
  }
}

/**
 * The apiserver's json-patch library refuses a merge patch that is not an
 * object or array (400); an array replaces the whole object per RFC 7386,
 * which then fails to decode as a Kubernetes object (422).
 */
function applyMergePatchToObject(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    throw new StatusError(422, 'Invalid', 'the merge patch replaces the object with an array, which is not a valid object');
  }
  if (!isJsonObject(patch)) throw badRequest('Invalid JSON Patch');
  return applyMergePatch(doc, patch);
}
