import http from 'node:http';
import https from 'node:https';
import type { ImageCatalog } from '../kube/catalog/types.js';
import { catalogRepositories } from './catalog-content.js';
import { imageContent, type Blob, type ManifestFormat } from './image-content.js';

/** What pushing needs to know about a running registry. */
export interface PushTarget {
  url: string;
  /** PEM of the registry's certificate when it serves HTTPS. */
  ca?: string;
  /** The Authorization header that may push to `repository`, if the registry wants one. */
  pushAuthorization(repository: string): string | undefined;
}

export interface RegistryReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a fresh connection (no keep-alive: a stopped registry is seen at once). */
export function registryRequest(target: { ca?: string }, method: string, url: URL, headers: Record<string, string> = {}, body?: Buffer): Promise<RegistryReply> {
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(url, { method, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) }, ca: target.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function expectStatus(r: RegistryReply, status: number, what: string): void {
  if (r.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${r.status}: ${r.body}`);
}

/** A monolithic upload: POST opens an upload session, one PUT with ?digest= carries the whole blob. */
async function uploadBlob(t: PushTarget, repository: string, blob: Blob): Promise<void> {
  const auth = t.pushAuthorization(repository);
  const headers: Record<string, string> = auth ? { Authorization: auth } : {};
  const started = await registryRequest(t, 'POST', new URL(`/v2/${repository}/blobs/uploads/`, t.url), headers);
  expectStatus(started, 202, `start upload to ${repository}`);
  const location = new URL(String(started.headers.location), t.url);
  location.searchParams.set('digest', blob.digest);
  const put = await registryRequest(t, 'PUT', location, { ...headers, 'Content-Type': 'application/octet-stream' }, blob.data);
  expectStatus(put, 201, `upload ${blob.digest} to ${repository}`);
}

/** Pushes the image imageContent() describes as `repository:tag` and returns the manifest digest. */
export async function pushImage(t: PushTarget, repository: string, tag: string, format: ManifestFormat = 'oci'): Promise<string> {
  const image = imageContent(repository, tag, format);
  await Promise.all([uploadBlob(t, repository, image.config), uploadBlob(t, repository, image.layer)]);
  const auth = t.pushAuthorization(repository);
  const res = await registryRequest(
    t,
    'PUT',
    new URL(`/v2/${repository}/manifests/${tag}`, t.url),
    { 'Content-Type': image.mediaType, ...(auth ? { Authorization: auth } : {}) },
    image.manifest,
  );
  expectStatus(res, 201, `push manifest ${repository}:${tag}`);
  return String(res.headers['docker-content-digest'] ?? image.digest);
}

/**
 * Pushes every repository:tag of a simulator image catalog whose repository
 * key starts with `hostAlias/` ("registry.example.com/api-server" → "api-server"),
 * so the real registry and the catalog agree on what exists.
 */
export async function pushCatalog(t: PushTarget, catalog: ImageCatalog, opts: { hostAlias: string; format?: ManifestFormat }): Promise<string[]> {
  const repositories = catalogRepositories(catalog, opts.hostAlias);
  // Repositories in parallel, the tags of one in sequence.
  await Promise.all(
    repositories.map(async (repo) => {
      for (const tag of repo.tags) await pushImage(t, repo.name, tag, opts.format);
    }),
  );
  return repositories.flatMap((repo) => repo.tags.map((tag) => `${repo.name}:${tag}`));
}
