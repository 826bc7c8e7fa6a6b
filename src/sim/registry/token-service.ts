import { randomUUID, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The token service's names; docker-registry and the simulated registry use the same, so their challenges read alike. */
export const TOKEN_SERVICE = 'deploy-medic-registry';
export const TOKEN_ISSUER = 'deploy-medic-token-issuer';

/** One grant of a token's `access` claim, as Distribution reads it. */
export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenIssuerOptions {
  /** PEM or key object of the RS256 signing key. */
  key: string | KeyObject;
  /** DER of the certificate for the `x5c` header, which docker-registry checks against its root bundle. */
  certificateDer?: Buffer;
  issuer: string;
  service: string;
  /** user name → password. */
  users: Record<string, string>;
  /** repository path → users who may pull it; repositories not listed are public. */
  privateRepositories: Record<string, string[]>;
  /** Users who may push, and pull everything, e.g. a pusher account that loads the registry. */
  pushers: string[];
  lifetimeSeconds?: number;
  /** Milliseconds since the epoch; the tokens' iat/nbf/exp come from it. */
  now?: () => number;
}

/**
 * A Docker token service (the "Bearer realm" of a registry): checks Basic
 * credentials, grants pull on public repositories to anyone and on private
 * ones to their readers, and signs RS256 JWTs. Distribution 2.8 verifies
 * iss, aud (= service), exp/nbf with 60 s leeway, the x5c chain against its
 * root bundle, and that `access` covers each request.
 */
export class TokenIssuer {
  /** Token requests served so far, accepted or not. */
  requests = 0;
  private readonly lifetime: number;
  private readonly now: () => number;

  constructor(private readonly o: TokenIssuerOptions) {
    this.lifetime = o.lifetimeSeconds ?? 300;
    this.now = o.now ?? Date.now;
  }

  get service(): string {
    return this.o.service;
  }

  get issuer(): string {
    return this.o.issuer;
  }

  /** A token as the service would issue it to `user` (undefined: anonymous) for these scopes. */
  mint(user: string | undefined, scopes: string[]): string {
    const now = Math.floor(this.now() / 1000);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const header = b64({ typ: 'JWT', alg: 'RS256', ...(this.o.certificateDer ? { x5c: [this.o.certificateDer.toString('base64')] } : {}) });
    const claims = b64({ iss: this.o.issuer, sub: user ?? '', aud: this.o.service, exp: now + this.lifetime, nbf: now - 1, iat: now, jti: randomUUID(), access: this.grant(user, scopes) });
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), this.o.key).toString('base64url');
    return `${header}.${claims}.${signature}`;
  }

  /** GET <realm>?service=...&scope=... with optional Basic credentials. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    this.requests++;
    let user: string | undefined;
    const auth = req.headers.authorization;
    if (auth) {
      const [scheme, value] = auth.split(' ');
      const decoded = scheme?.toLowerCase() === 'basic' && value ? Buffer.from(value, 'base64').toString('utf8') : '';
      const i = decoded.indexOf(':');
      const name = decoded.slice(0, i);
      if (i < 0 || this.o.users[name] === undefined || this.o.users[name] !== decoded.slice(i + 1)) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      user = name;
    }
    if (url.searchParams.get('service') !== this.o.service) {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'unknown service' }));
      return;
    }
    const token = this.mint(user, url.searchParams.getAll('scope').flatMap((s) => s.split(' ')));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: this.lifetime, issued_at: new Date(this.now()).toISOString() }));
  }

  private allowed(user: string | undefined, repo: string, action: string): boolean {
    const readers = this.o.privateRepositories[repo];
    if (action === 'push') return user !== undefined && this.o.pushers.includes(user);
    if (action !== 'pull') return false;
    return readers === undefined || (user !== undefined && (readers.includes(user) || this.o.pushers.includes(user)));
  }

  private grant(user: string | undefined, scopes: string[]): Access[] {
    return scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || !name || !actions) return [];
      const granted = actions.split(',').filter((a) => this.allowed(user, name, a));
      return granted.length ? [{ type, name, actions: granted }] : [];
    });
  }
}

export interface TokenServerOptions extends Omit<TokenIssuerOptions, 'key' | 'certificateDer'> {
  keyFile: string;
  certFile: string;
}

export interface TokenServer {
  url: string;
  /** The realm a registry names in its challenge. */
  realm: string;
  /** Token requests served so far, accepted or not. */
  readonly requests: number;
  mint(user: string | undefined, scopes: string[]): string;
  close(): Promise<void>;
}

/** The token service on its own loopback port, for docker-registry (auth.token.realm). */
export async function startTokenServer(o: TokenServerOptions): Promise<TokenServer> {
  const issuer = new TokenIssuer({ ...o, key: await readFile(o.keyFile, 'utf8'), certificateDer: new X509Certificate(await readFile(o.certFile)).raw });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    if (url.pathname !== '/token') return void res.writeHead(404).end();
    issuer.handle(req, res, url);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    realm: `${url}/token`,
    get requests() {
      return issuer.requests;
    },
    mint: (user, scopes) => issuer.mint(user, scopes),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
