import { createHmac } from 'node:crypto';

/**
 * Slack's request signing, version v0: HMAC-SHA256 of `v0:{timestamp}:{raw body}`
 * keyed with the app's signing secret, sent hex-encoded as `X-Slack-Signature:
 * v0=…` next to `X-Slack-Request-Timestamp` (Unix seconds).
 */

export function computeSignature(signingSecret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

/** How a dispatched request is signed: correctly, with a wrong secret, or not at all. */
export type SignatureMode = 'valid' | 'wrong' | 'missing';

export interface SignOptions {
  signature?: SignatureMode;
  /** Unix seconds to sign with; pass an old one to test replay protection. Default: now. */
  timestampSec?: number;
}

export function signedHeaders(signingSecret: string, body: string, opts: SignOptions = {}): Record<string, string> {
  const timestampSec = opts.timestampSec ?? Math.floor(Date.now() / 1000);
  const mode = opts.signature ?? 'valid';
  if (mode === 'missing') return { 'X-Slack-Request-Timestamp': String(timestampSec) };
  const secret = mode === 'wrong' ? `${signingSecret}-not-the-secret` : signingSecret;
  return {
    'X-Slack-Request-Timestamp': String(timestampSec),
    'X-Slack-Signature': computeSignature(secret, timestampSec, body),
  };
}
