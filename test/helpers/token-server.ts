import { randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from './stub-servers.js';

/**
 * A Docker token service (the "Bearer realm" of a registry) for tests: checks
 * Basic credentials, grants pull on public repositories to anyone and on
 * private ones to their readers, and signs RS256 JWTs whose `x5c` header
 * carries a certificate the registry trusts (auth.token.rootcertbundle).
 * Distribution 2.8 verifies iss, aud (= service), exp/nbf with 60 s leeway,
 * the x5c chain against its root bundle, and that `access` covers each request.
 */
export interface TokenServerOptions {
  keyFile: string;
  certFile: string;
  issuer: string;
  service: string;
  /** user name → password. */
  users: Record<string, string>;
  /** repository path → users who may pull it; repositories not listed are public. */
  privateRepositories: Record<string, string[]>;
  /** Users who may push, and pull everything, e.g. the helper's own pusher account. */
  pushers: string[];
  lifetimeSeconds?: number;
}

export interface TokenServer {
  url: string;
  /** The realm a registry names in its challenge. */
  realm: string;
  /** Token requests served so far, accepted or not. */
  requests: number;
  /** A token as the service would issue it to `user` (undefined: anonymous) for these scopes. */
  mint(user: string | undefined, scopes: string[]): string;
  close(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

export async function startTokenServer(o: TokenServerOptions): Promise<TokenServer> {
  const key = await readFile(o.keyFile, 'utf8');
  const certDer = new X509Certificate(await readFile(o.certFile)).raw.toString('base64');
  const lifetime = o.lifetimeSeconds ?? 300;

  const allowed = (user: string | undefined, repo: string, action: string): boolean => {
    const readers = o.privateRepositories[repo];
    if (action === 'push') return user !== undefined && o.pushers.includes(user);
    if (action !== 'pull') return false;
    return readers === undefined || (user !== undefined && (readers.includes(user) || o.pushers.includes(user)));
  };

  const grant = (user: string | undefined, scopes: string[]): Access[] =>
    scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || !name || !actions) return [];
      const granted = actions.split(',').filter((a) => allowed(user, name, a));
      return granted.length ? [{ type, name, actions: granted }] : [];
    });

  const mint = (user: string | undefined, scopes: string[]): string => {
    const now = Math.floor(Date.now() / 1000);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const header = b64({ typ: 'JWT', alg: 'RS256', x5c: [certDer] });
    const claims = b64({ iss: o.issuer, sub: user ?? '', aud: o.service, exp: now + lifetime, nbf: now - 1, iat: now, jti: randomUUID(), access: grant(user, scopes) });
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), key).toString('base64url');
    return `${header}.${claims}.${signature}`;
  };

  const server: Server = createServer((req, res) => {
    state.requests++;
    const url = new URL(req.url ?? '/', 'http://token.invalid');
    if (url.pathname !== '/token') return void res.writeHead(404).end();
    let user: string | undefined;
    const auth = req.headers.authorization;
    if (auth) {
      const [scheme, value] = auth.split(' ');
      const decoded = scheme?.toLowerCase() === 'basic' && value ? Buffer.from(value, 'base64').toString('utf8') : '';
      const i = decoded.indexOf(':');
      const name = decoded.slice(0, i);
      if (i < 0 || o.users[name] === undefined || o.users[name] !== decoded.slice(i + 1)) {
        res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'incorrect username or password' }));
        return;
      }
      user = name;
    }
    if (url.searchParams.get('service') !== o.service) {
      res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ details: 'unknown service' }));
      return;
    }
    const token = mint(user, url.searchParams.getAll('scope').flatMap((s) => s.split(' ')));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ token, access_token: token, expires_in: lifetime, issued_at: new Date().toISOString() }));
  });
  await listen(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const state: TokenServer = {
    url,
    realm: `${url}/token`,
    requests: 0,
    mint,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  return state;
}
