import { StatusError } from '../status-error.js';

/**
 * A patch that parsed but could not be applied. The apiserver answers these
 * with NewGenericServerResponse(422), whose fixed text replaces the library's
 * reason; we keep that reason as the error's cause for the simulator's logs.
 */
export function rejected(reason: string): StatusError {
  const error = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  error.cause = reason;
  return error;
}

/**
 * Strategic-merge errors the apiserver does not classify reach the client as
 * 500s carrying the raw message (Status reason "" there; InternalError is the
 * nearest reason we can express).
 */
export const internalError = (message: string): StatusError => new StatusError(500, 'InternalError', message);
