import type { ServerResponse } from 'node:http';

/** Error codes of the Distribution API with the status and message docker-registry gives each. */
const CODES = {
  UNAUTHORIZED: { status: 401, message: 'authentication required' },
  NAME_UNKNOWN: { status: 404, message: 'repository name not known to registry' },
  MANIFEST_UNKNOWN: { status: 404, message: 'manifest unknown' },
  BLOB_UNKNOWN: { status: 404, message: 'blob unknown to registry' },
  BLOB_UPLOAD_UNKNOWN: { status: 404, message: 'blob upload unknown to registry' },
  DIGEST_INVALID: { status: 400, message: 'provided digest did not match uploaded content' },
  PAGINATION_NUMBER_INVALID: { status: 400, message: 'invalid number of results requested' },
  UNKNOWN: { status: 500, message: 'unknown error' },
} as const;

export type DistributionCode = keyof typeof CODES;

export interface DistributionErrorEntry {
  code: DistributionCode;
  /** Replaces the code's usual message. */
  message?: string;
  /** Omitted when undefined; `null` is written, as Distribution does for an unscoped 401. */
  detail?: unknown;
}

/** Go's json.Encoder: compact, with a trailing newline. */
export const goJson = (value: unknown) => `${JSON.stringify(value)}\n`;

/** What Distribution's errcode.ServeJSON writes: {"errors":[...]} with the first error's status. */
export function sendErrors(res: ServerResponse, head: boolean, errors: DistributionErrorEntry[], headers: Record<string, string> = {}): void {
  const body = goJson({
    errors: errors.map((e) => ({ code: e.code, message: e.message ?? CODES[e.code].message, ...(e.detail !== undefined ? { detail: e.detail } : {}) })),
  });
  send(res, head, CODES[errors[0]!.code].status, body, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
}

/** Go's plain-text http.Error, as the router answers for paths and methods it has no route for. */
function sendText(res: ServerResponse, head: boolean, status: number, text: string, headers: Record<string, string> = {}): void {
  send(res, head, status, `${text}\n`, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
}

export const sendPageNotFound = (res: ServerResponse, head: boolean) => sendText(res, head, 404, '404 page not found');

export const sendMethodNotAllowed = (res: ServerResponse, head: boolean, allow: string) => sendText(res, head, 405, 'Method not allowed', { Allow: allow });

/** The router's trailing-slash redirect (Go's http.Redirect: an HTML body for GET only). */
export function sendRedirect(res: ServerResponse, method: string, location: string): void {
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(301, { Location: location, 'Content-Length': '0' });
    return void res.end();
  }
  const body = method === 'GET' ? `<a href="${location}">Moved Permanently</a>.\n\n` : '';
  res.writeHead(301, { 'Content-Type': 'text/html; charset=utf-8', Location: location, ...(method === 'GET' ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) });
  res.end(body || undefined);
}

/** A HEAD answer carries the Content-Length of the body it leaves out. */
export function send(res: ServerResponse, head: boolean, status: number, body: string | Buffer, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(head ? undefined : body);
}
