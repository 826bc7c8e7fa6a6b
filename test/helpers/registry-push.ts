import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { gzipSync } from 'node:zlib';
import type { ImageCatalog } from '../../src/sim/kube/catalog/types.js';

/** What pushing needs to know about a running registry. */
export interface PushTarget {
  url: string;
  /** PEM of the registry's certificate when it serves HTTPS. */
  ca?: string;
  /** The Authorization header that may push to `repository`, if the registry wants one. */
  pushAuthorization(repository: string): string | undefined;
}

export type ManifestFormat = 'oci' | 'docker';

const MEDIA_TYPES: Record<ManifestFormat, { manifest: string; config: string; layer: string }> = {
  oci: {
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
};

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function registryRequest(target: { ca?: string }, method: string, url: URL, headers: Record<string, string> = {}, body?: Buffer): Promise<Reply> {
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

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function expectStatus(r: Reply, status: number, what: string): void {
  if (r.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${r.status}: ${r.body}`);
}

/** A monolithic upload: POST opens an upload session, one PUT with ?digest= carries the whole blob. */
async function uploadBlob(t: PushTarget, repository: string, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const auth = t.pushAuthorization(repository);
  const headers: Record<string, string> = auth ? { Authorization: auth } : {};
  const started = await registryRequest(t, 'POST', new URL(`/v2/${repository}/blobs/uploads/`, t.url), headers);
  expectStatus(started, 202, `start upload to ${repository}`);
  const location = new URL(String(started.headers.location), t.url);
  location.searchParams.set('digest', digest);
  const put = await registryRequest(t, 'PUT', location, { ...headers, 'Content-Type': 'application/octet-stream' }, blob);
  expectStatus(put, 201, `upload ${digest} to ${repository}`);
  return digest;
}

/**
 * Pushes a tiny single-layer image as `repository:tag` and returns the
 * manifest digest. Config and layer name the image, so every tag has its own digest.
 */
export async function pushImage(t: PushTarget, repository: string, tag: string, format: ManifestFormat = 'oci'): Promise<string> {
  const types = MEDIA_TYPES[format];
  const layerTar = Buffer.from(`deploy-medic test layer for ${repository}:${tag}\n`);
  const layer = gzipSync(layerTar);
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.ref.name': `${repository}:${tag}` } },
      rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
    }),
  );
  const [configDigest, layerDigest] = await Promise.all([uploadBlob(t, repository, config), uploadBlob(t, repository, layer)]);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: types.manifest,
      config: { mediaType: types.config, size: config.length, digest: configDigest },
      layers: [{ mediaType: types.layer, size: layer.length, digest: layerDigest }],
    }),
  );
  const auth = t.pushAuthorization(repository);
  const res = await registryRequest(t, 'PUT', new URL(`/v2/${repository}/manifests/${tag}`, t.url), { 'Content-Type': types.manifest, ...(auth ? { Authorization: auth } : {}) }, manifest);
  expectStatus(res, 201, `push manifest ${repository}:${tag}`);
  return String(res.headers['docker-content-digest'] ?? sha256(manifest));
}

/**
 * Pushes every repository:tag of a simulator image catalog whose repository
 * key starts with `hostAlias/` ("registry.example.com/api-server" → "api-server"),
 * so the real registry and the catalog agree on what exists.
 */
export async function pushCatalog(t: PushTarget, catalog: ImageCatalog, opts: { hostAlias: string; format?: ManifestFormat }): Promise<string[]> {
  const prefix = `${opts.hostAlias}/`;
  const images = Object.entries(catalog.repositories)
    .filter(([key]) => key.startsWith(prefix))
    .flatMap(([key, repo]) => Object.keys(repo.tags).map((tag) => ({ repository: key.slice(prefix.length), tag })));
  const byRepo = new Map<string, string[]>();
  for (const i of images) byRepo.set(i.repository, [...(byRepo.get(i.repository) ?? []), i.tag]);
  // Repositories in parallel, the tags of one in sequence.
  await Promise.all([...byRepo].map(async ([repository, tags]) => {
    for (const tag of tags) await pushImage(t, repository, tag, opts.format);
  }));
  return images.map((i) => `${i.repository}:${i.tag}`);
}
