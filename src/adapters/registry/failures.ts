import { networkErrorCode } from '../../errors.js';

/** One entry of the Distribution API's error body: {"errors":[{"code":"MANIFEST_UNKNOWN","message":"..."}]}. */
export interface DistributionError {
  code: string;
  message?: string;
}

export function parseDistributionErrors(body: string): DistributionError[] {
  if (!body) return [];
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors
      .filter((e): e is { code: string; message?: unknown } => typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string')
      .map((e) => ({ code: e.code, message: typeof e.message === 'string' ? e.message : undefined }));
  } catch {
    return [];
  }
}

/** "MANIFEST_UNKNOWN: manifest unknown", for a detail sentence. */
export function formatDistributionErrors(errors: DistributionError[]): string {
  return errors.map((e) => (e.message ? `${e.code}: ${e.message}` : e.code)).join('; ');
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

function errorCode(e: unknown): string | undefined {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the error is about TLS: an HTTPS attempt that an insecure registry may answer over HTTP instead. */
export function isTlsFailure(e: unknown): boolean {
  const code = errorCode(e);
  return code !== undefined && TLS_CODES.has(code);
}

/** Why a connection failed, in words: "the host name does not resolve (ENOTFOUND)". */
export function describeConnectionFailure(e: unknown, hostname: string): string {
  const code = networkErrorCode(e) ?? errorCode(e);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${hostname} does not resolve (${code})`;
    case 'ECONNREFUSED':
      return `the connection was refused (${code})`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `the connection was reset (${code})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to the host (${code})`;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (code && TLS_CODES.has(code)) return `TLS failed: ${message}`;
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
