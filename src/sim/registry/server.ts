import { generateKeyPair, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { IMAGE_CATALOG, REGISTRY } from '../kube/catalog/images.js';
import type { ImageCatalog } from '../kube/catalog/types.js';
import { catalogAccess, catalogRepositories } from './catalog-content.js';
import { goJson, send, sendErrors, sendMethodNotAllowed, sendPageNotFound, sendRedirect } from './distribution-errors.js';
import { imageContent, type ImageContent } from './image-content.js';
import { catalogPage, nextLink, tagsPage } from './pagination.js';
import { accessFor, bearerChallenge, unauthorizedDetail, verifyBearer } from './registry-auth.js';
import { isValidDigest, matchRoute, strictSlashTarget, type Route } from './routes.js';
import { TOKEN_ISSUER, TOKEN_SERVICE, TokenIssuer } from './token-service.js';

export interface SimulatedRegistryOptions {
  /** Default: the scenario catalog (IMAGE_CATALOG). */
  catalog?: ImageCatalog;
  /** The catalog's host this registry serves; default registry.example.com. */
  hostAlias?: string;
  /**
   * "token": every request needs a Bearer token from the registry's own realm
   * (GET /token), private repositories only for their readers, as
   * docker-registry with token auth; "anonymous": everything is public.
   * Default: token when the catalog has a private repository.
   */
  auth?: 'token' | 'anonymous';
  now?: () => number;
}

interface StoredRepository {
  tags: Map<string, ImageContent>;
  sortedTags: string[];
  manifests: Map<string, ImageContent>;
  blobs: Map<string, Buffer>;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/**
 * A read-only Distribution v2 registry holding the catalog's images, answering
 * as docker-registry 2.8 does (same routes, headers, error codes and bodies;
 * writes refused as in its read-only mode) and serving the same bytes, so a
 * tag has the same digest in both. For machines without docker-registry.
 */
export class SimulatedRegistry {
  private constructor(
    private readonly server: Server,
    private readonly repositories: Map<string, StoredRepository>,
    private readonly auth: { issuer: TokenIssuer; publicKey: KeyObject } | undefined,
    private readonly now: () => number,
    readonly url: string,
  ) {}

  static async start(opts: SimulatedRegistryOptions = {}): Promise<SimulatedRegistry> {
    const catalog = opts.catalog ?? IMAGE_CATALOG;
    const hostAlias = opts.hostAlias ?? REGISTRY;
    const now = opts.now ?? Date.now;
    const views = catalogRepositories(catalog, hostAlias);
    const repositories = new Map(views.map((v) => [v.name, storedRepository(v.name, v.tags)]));
    const mode = opts.auth ?? (views.some((v) => v.readers) ? 'token' : 'anonymous');
    let auth: { issuer: TokenIssuer; publicKey: KeyObject } | undefined;
    if (mode === 'token') {
      const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
      auth = { publicKey, issuer: new TokenIssuer({ key: privateKey, issuer: TOKEN_ISSUER, service: TOKEN_SERVICE, ...catalogAccess(catalog, hostAlias), pushers: [], now }) };
    }
    let registry: SimulatedRegistry | undefined;
    const server = createServer((req, res) => registry!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    registry = new SimulatedRegistry(server, repositories, auth, now, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return registry;
  }

  /** The Bearer realm of its token service, in token mode. */
  get tokenRealm(): string | undefined {
    return this.auth ? `${this.url}/token` : undefined;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    res.setHeader('Docker-Distribution-Api-Version', 'registry/2.0');
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const url = new URL(req.url ?? '/', 'http://registry.invalid');
    let path: string;
    try {
      // The router matches the decoded path: api-server%2Fx is api-server/x.
      path = decodeURIComponent(url.pathname);
    } catch {
      return sendPageNotFound(res, head);
    }
    if (this.auth && path === '/token') return this.auth.issuer.handle(req, res, url);
    const route = matchRoute(path);
    if (!route) {
      const target = strictSlashTarget(path);
      return target ? sendRedirect(res, method, target) : sendPageNotFound(res, head);
    }
    if (this.auth) {
      const needed = accessFor(route, method);
      const { issuer, publicKey } = this.auth;
      const verdict = verifyBearer(req.headers.authorization, needed, { publicKey, issuer: issuer.issuer, service: issuer.service, nowSeconds: Math.floor(this.now() / 1000) });
      if (verdict !== 'granted') {
        const challenge = bearerChallenge(this.tokenRealm!, issuer.service, needed, verdict);
        return sendErrors(res, head, [{ code: 'UNAUTHORIZED', detail: unauthorizedDetail(needed) }], { 'WWW-Authenticate': challenge });
      }
    }
    if ('name' in route && route.name.length > 255) return sendErrors(res, head, [{ code: 'UNKNOWN', detail: { Name: route.name, Reason: {} } }]);
    this.dispatch(route, req, res, url.searchParams);
  }

  private dispatch(route: Route, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const json = { 'Content-Type': 'application/json; charset=utf-8' };
    if (route.kind === 'base') return send(res, head, 200, '{}', json);
    // Writes are refused as docker-registry refuses them in read-only maintenance mode.
    const allowed = route.kind === 'tags' || route.kind === 'catalog' ? ['GET'] : ['GET', 'HEAD'];
    if (!allowed.includes(method)) return sendMethodNotAllowed(res, head, allowed.join(', '));
    switch (route.kind) {
      case 'catalog': {
        const page = catalogPage([...this.repositories.keys()].sort(), query);
        if (!page.ok) return sendErrors(res, head, [{ code: 'PAGINATION_NUMBER_INVALID', detail: { n: page.n } }]);
        return send(res, head, 200, goJson({ repositories: page.items }), { ...json, ...(page.next ? { Link: nextLink('/v2/_catalog', page.next) } : {}) });
      }
      case 'tags': {
        const repo = this.repositories.get(route.name);
        const page = tagsPage(repo?.sortedTags ?? [], query);
        if (!page.ok) return sendErrors(res, head, [{ code: 'PAGINATION_NUMBER_INVALID', detail: { n: page.n } }]);
        // n=0 asks for nothing, and Distribution answers it without looking the repository up.
        if (!repo && page.limit !== 0) return sendErrors(res, head, [{ code: 'NAME_UNKNOWN', detail: { name: route.name } }]);
        const link: Record<string, string> = page.next ? { Link: nextLink(`/v2/${route.name}/tags/list`, page.next) } : {};
        return send(res, head, 200, goJson({ name: route.name, tags: page.items }), { ...json, ...link });
      }
      case 'manifest':
        return this.manifest(route, req, res);
      case 'blob':
        return this.blob(route, req, res);
      case 'upload':
        return sendErrors(res, head, [{ code: 'BLOB_UPLOAD_UNKNOWN' }]);
    }
  }

  private manifest(route: Extract<Route, { kind: 'manifest' }>, req: IncomingMessage, res: ServerResponse): void {
    const head = req.method === 'HEAD';
    const repo = this.repositories.get(route.name);
    const ref = route.reference;
    let image: ImageContent | undefined;
    if (ref.includes(':')) {
      // Not a digest go-digest accepts, so Distribution takes it for a tag, and its filesystem driver rejects the path.
      if (!isValidDigest(ref)) {
        return sendErrors(res, head, [{ code: 'UNKNOWN', detail: { Path: `/docker/registry/v2/repositories/${route.name}/_manifests/tags/${ref}/current/link`, DriverName: 'filesystem' } }]);
      }
      // The ETag is checked before the manifest is looked up.
      if (etagMatches(req, ref)) return void res.writeHead(304).end();
      image = repo?.manifests.get(ref);
      if (!image) return sendErrors(res, head, [{ code: 'MANIFEST_UNKNOWN', detail: { Name: route.name, Revision: ref } }]);
    } else {
      image = repo?.tags.get(ref);
      if (!image) return sendErrors(res, head, [{ code: 'MANIFEST_UNKNOWN', detail: { Tag: ref } }]);
      if (etagMatches(req, image.digest)) return void res.writeHead(304).end();
    }
    if (image.mediaType === OCI_MANIFEST && !acceptedTypes(req).has(OCI_MANIFEST)) {
      return sendErrors(res, head, [{ code: 'MANIFEST_UNKNOWN', message: 'OCI manifest found, but accept header does not support OCI manifests' }]);
    }
    send(res, head, 200, image.manifest, { 'Content-Type': image.mediaType, 'Docker-Content-Digest': image.digest, Etag: `"${image.digest}"` });
  }

  private blob(route: Extract<Route, { kind: 'blob' }>, req: IncomingMessage, res: ServerResponse): void {
    const head = req.method === 'HEAD';
    if (!isValidDigest(route.digest)) return sendErrors(res, head, [{ code: 'DIGEST_INVALID', detail: {} }]);
    const data = this.repositories.get(route.name)?.blobs.get(route.digest);
    if (!data) return sendErrors(res, head, [{ code: 'BLOB_UNKNOWN', detail: route.digest }]);
    if (etagMatches(req, route.digest)) return void res.writeHead(304).end();
    send(res, head, 200, data, {
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'max-age=31536000',
      'Content-Type': 'application/octet-stream',
      'Docker-Content-Digest': route.digest,
      Etag: `"${route.digest}"`,
    });
  }
}

function storedRepository(name: string, tags: string[]): StoredRepository {
  const repo: StoredRepository = { tags: new Map(), sortedTags: [...tags].sort(), manifests: new Map(), blobs: new Map() };
  for (const tag of tags) {
    const image = imageContent(name, tag);
    repo.tags.set(tag, image);
    repo.manifests.set(image.digest, image);
    for (const b of [image.config, image.layer]) repo.blobs.set(b.digest, b.data);
  }
  return repo;
}

/** The media types an Accept header lists, parameters (q=) ignored, as Distribution reads them. */
function acceptedTypes(req: IncomingMessage): Set<string> {
  const values = req.headersDistinct.accept ?? [];
  return new Set(values.flatMap((v) => v.split(',')).map((t) => t.split(';')[0]!.trim().toLowerCase()).filter(Boolean));
}

function etagMatches(req: IncomingMessage, digest: string): boolean {
  return (req.headersDistinct['if-none-match'] ?? []).some((v) => v === digest || v === `"${digest}"`);
}
