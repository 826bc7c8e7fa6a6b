import { createHash } from 'node:crypto';
import type { RegistryCredential } from '../../domain/docker-config.js';

/** One challenge of a WWW-Authenticate header; scheme and parameter names in lower case. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Parses WWW-Authenticate (RFC 9110 §11.6.1): one or more challenges, each a
 * scheme and comma-separated parameters whose values may be quoted strings
 * with backslash escapes. Node joins repeated headers with ", ", which this
 * grammar absorbs.
 */
export function parseWwwAuthenticate(header: string | string[] | undefined): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  for (const s of [header ?? []].flat()) {
    let i = 0;
    let current: AuthChallenge | undefined;
    const skipSpace = () => {
      while (s[i] === ' ' || s[i] === '\t') i++;
    };
    const readToken = () => {
      const m = TOKEN.exec(s.slice(i));
      i += m ? m[0].length : 0;
      return m ? m[0] : '';
    };
    const readQuoted = () => {
      let out = '';
      for (i++; i < s.length && s[i] !== '"'; i++) out += s[i] === '\\' && i + 1 < s.length ? s[++i] : s[i];
      i++;
      return out;
    };
    while (i < s.length) {
      skipSpace();
      if (s[i] === ',') {
        i++;
        continue;
      }
      const token = readToken();
      if (!token) {
        i++; // not part of the grammar (e.g. a token68's padding): skip it
        continue;
      }
      skipSpace();
      if (s[i] === '=' && current) {
        i++;
        skipSpace();
        current.params[token.toLowerCase()] = s[i] === '"' ? readQuoted() : readToken();
      } else {
        current = { scheme: token.toLowerCase(), params: {} };
        challenges.push(current);
      }
    }
  }
  return challenges;
}

export function basicAuthorization(c: RegistryCredential): string {
  return `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}`;
}

/** A short stable identity for a credential, for cache keys; not reversible to the password. */
export function credentialIdentity(c: RegistryCredential | undefined): string {
  if (!c) return 'anonymous';
  return createHash('sha256').update(`${c.host}\0${c.username ?? ''}\0${c.password ?? ''}`).digest('hex').slice(0, 24);
}

/** The fields of a token service's answer (Docker token authentication specification). */
export interface TokenResponse {
  token?: string;
  access_token?: string;
  /** Seconds; the specification's default is 60. */
  expires_in?: number;
}

export function tokenFromResponse(body: string): { token: string; lifetimeMs: number } | undefined {
  let parsed: TokenResponse;
  try {
    parsed = JSON.parse(body) as TokenResponse;
  } catch {
    return undefined;
  }
  const token = parsed.token || parsed.access_token;
  if (typeof token !== 'string' || !token) return undefined;
  const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 60;
  return { token, lifetimeMs: seconds * 1000 };
}

/** Bearer tokens by (host, scope, credential), dropped a little before they expire. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly now: () => number) {}

  get(key: string): string | undefined {
    const t = this.tokens.get(key);
    if (t && t.expiresAt > this.now()) return t.token;
    this.tokens.delete(key);
    return undefined;
  }

  set(key: string, token: string, lifetimeMs: number): void {
    // Keep a margin so a token does not expire between our check and the registry's.
    const margin = Math.min(10_000, lifetimeMs / 4);
    this.tokens.set(key, { token, expiresAt: this.now() + lifetimeMs - margin });
  }

  delete(key: string): void {
    this.tokens.delete(key);
  }
}
