import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import type { ImageCatalog } from '../kube/catalog/types.js';
import { catalogAccess } from './catalog-content.js';
import type { ManifestFormat } from './image-content.js';
import { pushCatalog as pushCatalogTo, pushImage, registryRequest, type PushTarget } from './push.js';
import { startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE, type TokenServer } from './token-service.js';

const run = promisify(execFile);

/**
 * A real CNCF Distribution registry (Debian's `docker-registry`) on loopback:
 * temporary config and filesystem storage, optionally HTTPS with a
 * throw-away certificate, and one of three ways to authenticate pulls.
 */
export type DockerRegistryAuth =
  | { mode: 'anonymous' }
  /** Basic authentication against an htpasswd file (bcrypt): every request needs a user. */
  | { mode: 'htpasswd'; users: Record<string, string> }
  /** Bearer tokens from a token server started alongside; repositories not listed in `privateRepositories` are public. */
  | { mode: 'token'; users: Record<string, string>; privateRepositories?: Record<string, string[]> };

export interface DockerRegistryOptions {
  auth?: DockerRegistryAuth;
  /** Serve HTTPS with a self-signed certificate for 127.0.0.1 (its PEM is `caFile`). */
  tls?: boolean;
}

export interface DockerRegistry extends PushTarget {
  /** "http://127.0.0.1:PORT" (https with `tls`). */
  url: string;
  /** "127.0.0.1:PORT", as an image reference names it. */
  host: string;
  caFile?: string;
  tokenServer?: TokenServer;
  push(repository: string, tag: string, format?: ManifestFormat): Promise<string>;
  /** The registry's own output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The account that pushes in the authenticated modes. */
const PUSHER = 'deploy-medic-pusher';

/** Where Debian's docker-registry is: $DOCKER_REGISTRY_BIN, else on PATH, else /usr/bin; undefined when absent. */
export function findDockerRegistry(): string | undefined {
  const explicit = process.env.DOCKER_REGISTRY_BIN;
  const candidates = explicit
    ? [explicit]
    : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'docker-registry')), '/usr/bin/docker-registry'];
  return candidates.find((c) => existsSync(c));
}

export async function startDockerRegistry(opts: DockerRegistryOptions = {}): Promise<DockerRegistry> {
  const bin = findDockerRegistry();
  if (!bin) {
    const explicit = process.env.DOCKER_REGISTRY_BIN;
    throw new Error(
      `docker-registry not found (${explicit ? `DOCKER_REGISTRY_BIN=${explicit}` : 'not on PATH'}): install Debian's docker-registry (apt-get install docker-registry), or set DOCKER_REGISTRY_BIN`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'deploy-medic-registry-'));
  try {
    return await startIn(dir, bin, opts);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Pushes the catalog's images for `hostAlias` into the registry (see push.ts). */
export function pushCatalog(registry: DockerRegistry, catalog: ImageCatalog, opts: { hostAlias: string; format?: ManifestFormat }): Promise<string[]> {
  return pushCatalogTo(registry, catalog, opts);
}

/** docker-registry holding every image of `catalog` on `hostAlias`, its private repositories behind token auth for their accounts. */
export async function startCatalogDockerRegistry(catalog: ImageCatalog, hostAlias: string): Promise<DockerRegistry> {
  const registry = await startDockerRegistry({ auth: { mode: 'token', ...catalogAccess(catalog, hostAlias) } });
  try {
    await pushCatalog(registry, catalog, { hostAlias });
  } catch (e) {
    await registry.stop();
    throw e;
  }
  return registry;
}

async function startIn(dir: string, bin: string, opts: DockerRegistryOptions): Promise<DockerRegistry> {
  const auth = opts.auth ?? { mode: 'anonymous' };
  const pusherPassword = randomBytes(12).toString('hex');
  const tls = opts.tls ? await selfSignedCertificate(dir, 'tls', '127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost') : undefined;
  let tokenServer: TokenServer | undefined;
  let authConfig: Record<string, unknown> | undefined;

  if (auth.mode === 'htpasswd') {
    const lines = await Promise.all(
      Object.entries({ ...auth.users, [PUSHER]: pusherPassword }).map(async ([user, password]) => (await run('htpasswd', ['-Bbn', user, password])).stdout.trim()),
    ).catch((e: unknown) => {
      throw new Error(`htpasswd failed (install apache2-utils): ${(e as Error).message}`);
    });
    await writeFile(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    authConfig = { htpasswd: { realm: 'deploy-medic', path: join(dir, 'htpasswd') } };
  }
  if (auth.mode === 'token') {
    const signer = await selfSignedCertificate(dir, 'token-signer', 'deploy-medic-token-signer');
    tokenServer = await startTokenServer({
      keyFile: signer.keyFile,
      certFile: signer.certFile,
      issuer: TOKEN_ISSUER,
      service: TOKEN_SERVICE,
      users: { ...auth.users, [PUSHER]: pusherPassword },
      privateRepositories: auth.privateRepositories ?? {},
      pushers: [PUSHER],
    });
    authConfig = { token: { realm: tokenServer.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, rootcertbundle: signer.certFile } };
  }

  const pushAuthorization = (repository: string): string | undefined => {
    if (auth.mode === 'htpasswd') return `Basic ${Buffer.from(`${PUSHER}:${pusherPassword}`).toString('base64')}`;
    if (auth.mode === 'token') return `Bearer ${tokenServer!.mint(PUSHER, [`repository:${repository}:pull,push`])}`;
    return undefined;
  };

  // A port can be taken between choosing and binding it; try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = {
      version: '0.1',
      log: { level: 'info', formatter: 'text', accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: join(dir, 'storage') },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: {
        addr: `127.0.0.1:${port}`,
        secret: randomBytes(16).toString('hex'),
        ...(tls ? { tls: { certificate: tls.certFile, key: tls.keyFile } } : {}),
      },
      ...(authConfig ? { auth: authConfig } : {}),
    };
    // JSON is YAML: the registry reads it as its config file.
    await writeFile(join(dir, 'config.yml'), JSON.stringify(config, null, 2));
    // Only PATH: REGISTRY_* variables in the environment would override the config file.
    const proc = spawn(bin, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    const output = captureOutput(proc);
    const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    const ca = tls ? await readFile(tls.certFile, 'utf8') : undefined;
    try {
      await waitUntilServing(proc, url, ca, output);
    } catch (e) {
      lastError = e;
      await stopProcess(proc);
      if (/address already in use/.test(output())) continue;
      await tokenServer?.close();
      throw e;
    }
    const registry: DockerRegistry = {
      url,
      host: `127.0.0.1:${port}`,
      ca,
      caFile: tls?.certFile,
      tokenServer,
      pushAuthorization,
      push: (repository, tag, format) => pushImage(registry, repository, tag, format),
      output,
      stop: async () => {
        await stopProcess(proc);
        await tokenServer?.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
    return registry;
  }
  await tokenServer?.close();
  throw lastError;
}

/** A loopback port free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function selfSignedCertificate(dir: string, name: string, cn: string, altNames?: string): Promise<{ keyFile: string; certFile: string }> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`];
  if (altNames) args.push('-addext', altNames);
  try {
    await run('openssl', args);
  } catch (e) {
    throw new Error(`openssl could not make a certificate for ${cn}: ${(e as Error & { stderr?: string }).stderr ?? (e as Error).message}`);
  }
  return { keyFile, certFile };
}

/** Keeps the last 64 KiB of the registry's stdout and stderr. */
function captureOutput(proc: ChildProcess): () => string {
  let text = '';
  const append = (b: Buffer) => {
    text = (text + b.toString('utf8')).slice(-65_536);
  };
  proc.stdout?.on('data', append);
  proc.stderr?.on('data', append);
  return () => text;
}

/** Polls GET /v2/ until the registry answers (200, or 401 when it wants authentication). */
async function waitUntilServing(proc: ChildProcess, url: string, ca: string | undefined, output: () => string): Promise<void> {
  let exited: string | undefined;
  proc.once('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  proc.once('error', (e) => (exited = `could not start: ${e.message}`));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`docker-registry ${exited}:\n${output()}`);
    try {
      const res = await registryRequest({ ca }, 'GET', new URL('/v2/', url));
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer GET ${url}/v2/ within 15 s:\n${output()}`);
}

async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
