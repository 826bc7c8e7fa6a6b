import type { RegistryCredential } from '../../domain/docker-config.js';
import { basicAuthorization, credentialIdentity, parseWwwAuthenticate, tokenFromResponse, type AuthChallenge, type TokenCache } from './auth.js';
import { apiUrl, type RegistryEndpoint } from './endpoint.js';
import { describeConnectionFailure, isTlsFailure } from './failures.js';
import type { HttpResponse, HttpTransport } from './http.js';

/** A request's outcome: the registry's answer, or why there was none to classify. */
export type Exchange = { ok: true; res: HttpResponse; url: URL } | ExchangeFailure;
export type ExchangeFailure = { ok: false; status: 'unauthorized' | 'unreachable' | 'error'; detail: string; httpStatus?: number };

/** State shared by the sessions of one client. */
export interface AuthState {
  tokens: TokenCache;
  /** Hosts that asked for Basic before: their credentials go along with the first request. */
  basicHosts: Set<string>;
}

export interface SessionOptions {
  endpoint: RegistryEndpoint;
  repository: string;
  credential?: RegistryCredential;
  transport: HttpTransport;
  auth: AuthState;
  /** Aborts every request of the session when the check's time budget is spent. */
  signal: AbortSignal;
  timeoutMs: number;
}

const USER_AGENT = 'deploy-medic (registry check)';

/**
 * The requests of one check against one registry, for one repository and one
 * credential: answers a 401 challenge once (Basic, or a Bearer token from the
 * realm the registry names), and reuses tokens across checks until they expire.
 */
export class RegistrySession {
  private baseIndex = 0;

  constructor(private readonly o: SessionOptions) {}

  /** `target` is an API path ("/v2/...") under the endpoint, or an absolute URL on it (a Link header's). */
  async request(method: 'GET' | 'HEAD', target: string | URL, accept: string): Promise<Exchange> {
    const scope = `repository:${this.o.repository}:pull`;
    const first = await this.send(method, target, accept, this.presetAuthorization(scope));
    if (!first.ok || first.res.status !== 401) return first;
    const challenges = parseWwwAuthenticate(first.res.headersDistinct['www-authenticate']);
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    if (bearer) {
      const token = await this.fetchToken(bearer, bearer.params.scope ?? scope);
      return token.ok ? this.send(method, target, accept, `Bearer ${token.token}`) : token;
    }
    const basic = challenges.some((c) => c.scheme === 'basic');
    if (basic && this.o.credential && !this.o.auth.basicHosts.has(this.o.endpoint.host)) {
      this.o.auth.basicHosts.add(this.o.endpoint.host);
      return this.send(method, target, accept, basicAuthorization(this.o.credential));
    }
    return first;
  }

  private presetAuthorization(scope: string): string | undefined {
    const c = this.o.credential;
    if (c && this.o.auth.basicHosts.has(this.o.endpoint.host)) return basicAuthorization(c);
    const token = this.o.auth.tokens.get(this.tokenKey(scope));
    return token ? `Bearer ${token}` : undefined;
  }

  private tokenKey(scope: string): string {
    return `${this.o.endpoint.host}\0${scope}\0${credentialIdentity(this.o.credential)}`;
  }

  private async send(method: 'GET' | 'HEAD', target: string | URL, accept: string, authorization?: string): Promise<Exchange> {
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: accept };
    if (authorization) headers.Authorization = authorization;
    for (;;) {
      const url = typeof target === 'string' ? apiUrl(this.o.endpoint.bases[this.baseIndex]!, target) : target;
      try {
        return { ok: true, url, res: await this.o.transport.request({ method, url, headers, tls: this.o.endpoint.tls, signal: this.o.signal }) };
      } catch (e) {
        // An insecure registry without an endpoint may speak plain HTTP: try the next base, as Docker does.
        if (typeof target === 'string' && isTlsFailure(e) && this.baseIndex < this.o.endpoint.bases.length - 1) {
          this.baseIndex++;
          continue;
        }
        return this.unreachable(e, url, `${this.o.endpoint.host} (${url.origin})`);
      }
    }
  }

  private unreachable(e: unknown, url: URL, what: string): ExchangeFailure {
    const detail = this.o.signal.aborted
      ? `${what} did not answer within ${this.o.timeoutMs / 1000} s`
      : `cannot reach ${what}: ${describeConnectionFailure(e, url.hostname)}`;
    return { ok: false, status: 'unreachable', detail };
  }

  /** The Docker token flow: GET realm?service=...&scope=..., with Basic credentials when we have them. */
  private async fetchToken(challenge: AuthChallenge, scope: string): Promise<{ ok: true; token: string } | ExchangeFailure> {
    let realm: URL;
    try {
      realm = new URL(challenge.params.realm!);
    } catch {
      return { ok: false, status: 'error', detail: `${this.o.endpoint.host} names an invalid token service realm` };
    }
    if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
      return { ok: false, status: 'error', detail: `${this.o.endpoint.host} names a token service that is not http(s)` };
    }
    if (challenge.params.service) realm.searchParams.set('service', challenge.params.service);
    for (const s of scope.split(' ')) realm.searchParams.append('scope', s);
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: 'application/json' };
    if (this.o.credential) headers.Authorization = basicAuthorization(this.o.credential);
    const service = `the token service ${realm.origin}`;
    let res: HttpResponse;
    try {
      res = await this.o.transport.request({ method: 'GET', url: realm, headers, tls: this.o.endpoint.tls, signal: this.o.signal });
    } catch (e) {
      return this.unreachable(e, realm, service);
    }
    if (res.status === 401 || res.status === 403) {
      const who = this.o.credential ? `the credentials of ${this.o.credential.username ?? '(no user name)'}` : 'anonymous access';
      return { ok: false, status: 'unauthorized', httpStatus: res.status, detail: `${service} rejected ${who} for ${this.o.endpoint.host}/${this.o.repository}` };
    }
    const parsed = res.status === 200 ? tokenFromResponse(res.body) : undefined;
    if (!parsed) return { ok: false, status: 'error', httpStatus: res.status, detail: `${service} answered HTTP ${res.status} without a token` };
    // A fresh token replaces any cached one: the registry just refused what we sent.
    this.o.auth.tokens.set(this.tokenKey(scope), parsed.token, parsed.lifetimeMs);
    return { ok: true, token: parsed.token };
  }
}
