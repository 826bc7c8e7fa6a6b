import { verify, type KeyObject } from 'node:crypto';
import type { Route } from './routes.js';
import type { Access } from './token-service.js';

/** One thing a request needs, as Distribution's auth.Access lists it in a 401's detail. */
export interface AccessRecord {
  type: 'repository' | 'registry';
  name: string;
  action: string;
}

/** What docker-registry asks of a token for a route and method (registry/handlers/app.go appendAccessRecords). */
export function accessFor(route: Route, method: string): AccessRecord[] {
  if (route.kind === 'base') return [];
  if (route.kind === 'catalog') return [{ type: 'registry', name: 'catalog', action: '*' }];
  const on = (...actions: string[]) => actions.map((action) => ({ type: 'repository' as const, name: route.name, action }));
  switch (method) {
    case 'GET':
    case 'HEAD':
      return on('pull');
    case 'POST':
    case 'PUT':
    case 'PATCH':
      return on('pull', 'push');
    case 'DELETE':
      return on('delete');
    default:
      return [];
  }
}

export type TokenVerdict = 'granted' | 'token-required' | 'invalid_token' | 'insufficient_scope';

export interface TokenCheck {
  publicKey: KeyObject;
  issuer: string;
  service: string;
  nowSeconds: number;
}

/** Distribution 2.8 allows this much clock skew on exp and nbf. */
const LEEWAY_SECONDS = 60;

/** The token access controller: signature, issuer, audience, validity window, then the access claim. */
export function verifyBearer(authorization: string | undefined, needed: AccessRecord[], check: TokenCheck): TokenVerdict {
  const parts = (authorization ?? '').split(' ');
  if (parts.length !== 2 || parts[0]!.toLowerCase() !== 'bearer') return 'token-required';
  const claims = verifiedClaims(parts[1]!, check);
  if (!claims) return 'invalid_token';
  const granted = Array.isArray(claims.access) ? (claims.access as Access[]) : [];
  const covered = (r: AccessRecord) => granted.some((a) => a.type === r.type && a.name === r.name && Array.isArray(a.actions) && (a.actions.includes(r.action) || a.actions.includes('*')));
  return needed.every(covered) ? 'granted' : 'insufficient_scope';
}

function verifiedClaims(token: string, check: TokenCheck): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || signature === undefined || token.split('.').length !== 3) return undefined;
  try {
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    if (alg !== 'RS256' || !verify('sha256', Buffer.from(`${header}.${payload}`), check.publicKey, Buffer.from(signature, 'base64url'))) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const audiences = [claims.aud].flat();
    if (claims.iss !== check.issuer || !audiences.includes(check.service)) return undefined;
    if (typeof claims.exp !== 'number' || claims.exp + LEEWAY_SECONDS < check.nowSeconds) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf - LEEWAY_SECONDS > check.nowSeconds) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}

/** The 401's WWW-Authenticate: realm and service, the scope the request needs, and why a token was refused. */
export function bearerChallenge(realm: string, service: string, needed: AccessRecord[], verdict: TokenVerdict): string {
  const byResource = new Map<string, string[]>();
  for (const r of needed) byResource.set(`${r.type}:${r.name}`, [...(byResource.get(`${r.type}:${r.name}`) ?? []), r.action]);
  const scope = [...byResource].map(([resource, actions]) => `${resource}:${actions.join(',')}`).join(' ');
  let header = `Bearer realm=${JSON.stringify(realm)},service=${JSON.stringify(service)}`;
  if (scope) header += `,scope=${JSON.stringify(scope)}`;
  if (verdict === 'invalid_token' || verdict === 'insufficient_scope') header += `,error="${verdict}"`;
  return header;
}

/** The 401 body's detail: the access records, or null when the route needs none. */
export function unauthorizedDetail(needed: AccessRecord[]): unknown {
  return needed.length ? needed.map((r) => ({ Type: r.type, Class: '', Name: r.name, Action: r.action })) : null;
}
