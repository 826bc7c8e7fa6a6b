import { createHmac } from 'node:crypto';

/**
 * Webhooks v3 signing: `v1=` + hex HMAC-SHA256 of the raw body, one per
 * secret, comma-separated (two while a secret rotates).
 */
export function signatureHeader(secrets: string[], body: string): string {
  return secrets.map((s) => `v1=${createHmac('sha256', s).update(body, 'utf8').digest('hex')}`).join(',');
}
