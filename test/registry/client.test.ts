import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import { registryRequest } from '../helpers/registry-push.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';
import { freePort, startCountingProxy, startSilentServer } from '../helpers/stub-servers.js';

/** Checks against a real, anonymous Distribution registry on loopback. */
let registry: TestRegistry;
let client: RegistryClient;
const digests: Record<string, string> = {};
const R = 'registry.example.com';

beforeAll(async () => {
  registry = await startRegistry();
  digests['v2.0.0'] = await registry.push('api-server', 'v2.0.0', 'oci');
  digests['v2.1.0'] = await registry.push('api-server', 'v2.1.0', 'docker');
  digests['v1.9.3'] = await registry.push('api-server', 'v1.9.3');
  await registry.push('library/nginx', 'latest');
  client = new RegistryClient({ registries: [{ host: R, endpoint: registry.url }, { host: 'docker.io', endpoint: registry.url }] });
});
afterAll(async () => {
  client?.close();
  await registry?.stop();
});

describe('RegistryClient against docker-registry', () => {
  it('finds OCI and Docker schema 2 images and reports their digests', async () => {
    const oci = await client.check(`${R}/api-server:v2.0.0`, []);
    expect(oci).toMatchObject({ status: 'found', httpStatus: 200, digest: digests['v2.0.0'], ref: { registry: R, repository: 'api-server', tag: 'v2.0.0' } });
    expect(new Date(oci.checkedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await client.check(`${R}/api-server:v2.1.0`, [])).toMatchObject({ status: 'found', digest: digests['v2.1.0'] });
  });

  it('needs the OCI Accept types: without them the registry hides an OCI manifest', async () => {
    // Why MANIFEST_ACCEPT lists the OCI types: the same HEAD with only the Docker type is a 404.
    const res = await registryRequest(registry, 'HEAD', new URL('/v2/api-server/manifests/v2.0.0', registry.url), {
      Accept: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    expect(res.status).toBe(404);
  });

  it('names the nearest existing tags when a tag is missing', async () => {
    const r = await client.check(`${R}/api-server:v2.0.1`, []);
    expect(r).toMatchObject({ status: 'tag-not-found', httpStatus: 404, nearestTags: ['v2.0.0', 'v2.1.0', 'v1.9.3'] });
    expect(r.detail).toBe(`tag v2.0.1 of ${R}/api-server does not exist; the nearest existing tags are v2.0.0, v2.1.0, v1.9.3`);
  });

  it('tells a missing repository from a missing tag', async () => {
    const r = await client.check(`${R}/search-indexr:v3.2.0`, []);
    expect(r.status).toBe('repository-not-found');
    expect(r.detail).toContain('NAME_UNKNOWN');
    expect(r.nearestTags).toBeUndefined();
  });

  it('checks digest references, where the digest wins over a tag', async () => {
    expect(await client.check(`${R}/api-server@${digests['v2.0.0']}`, [])).toMatchObject({ status: 'found', digest: digests['v2.0.0'] });
    expect(await client.check(`${R}/api-server:v2.1.0@${digests['v1.9.3']}`, [])).toMatchObject({ status: 'found', digest: digests['v1.9.3'] });
    const missing = `sha256:${'0'.repeat(64)}`;
    const r = await client.check(`${R}/api-server@${missing}`, []);
    expect(r).toMatchObject({ status: 'tag-not-found', nearestTags: [] });
    expect(r.detail).toContain(`manifest ${missing} of ${R}/api-server does not exist`);
  });

  it('normalises Docker Hub names to library/ under the configured endpoint', async () => {
    for (const image of ['nginx', 'docker.io/library/nginx:latest', 'index.docker.io/nginx', 'registry-1.docker.io/library/nginx']) {
      expect(await client.check(image, []), image).toMatchObject({ status: 'found', ref: { registry: 'docker.io', repository: 'library/nginx' } });
    }
  });

  it('rejects references the runtime could not parse, without asking anyone', async () => {
    expect(await client.check(`${R}/Api-Server:v1`, [])).toMatchObject({
      status: 'invalid-reference',
      detail: `"${R}/Api-Server:v1" is not a valid image reference: invalid reference format: repository name must be lowercase`,
    });
  });

  it('speaks HTTPS unless told otherwise, and falls back to HTTP only for an insecure registry', async () => {
    const image = `${registry.host}/api-server:v2.0.0`;
    const strict = new RegistryClient();
    const insecure = new RegistryClient({ registries: [{ host: registry.host, insecure: true }] });
    try {
      const r = await strict.check(image, []);
      expect(r.status).toBe('unreachable');
      expect(r.detail).toContain('TLS failed');
      expect(await insecure.check(image, [])).toMatchObject({ status: 'found', digest: digests['v2.0.0'] });
    } finally {
      strict.close();
      insecure.close();
    }
  });
});

describe('RegistryClient when the registry cannot answer', () => {
  it('reports a refused connection and an unresolvable host as unreachable', async () => {
    const port = await freePort();
    const c = new RegistryClient({ registries: [{ host: R, endpoint: `http://127.0.0.1:${port}` }] });
    try {
      const refused = await c.check(`${R}/api-server:v2.0.0`, []);
      expect(refused.status).toBe('unreachable');
      expect(refused.detail).toBe(`cannot reach ${R} (http://127.0.0.1:${port}): the connection was refused (ECONNREFUSED)`);
      const dns = await c.check('registry.internal.invalid/api-server:v2.0.0', []);
      expect(dns.status).toBe('unreachable');
      expect(dns.detail).toMatch(/the host name registry\.internal\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
    } finally {
      c.close();
    }
  });

  it('gives up on a registry that never answers within the timeout', async () => {
    const silent = await startSilentServer();
    const c = new RegistryClient({ registries: [{ host: R, endpoint: silent.url }], timeoutMs: 300 });
    try {
      const started = Date.now();
      const r = await c.check(`${R}/api-server:v2.0.0`, []);
      expect(r).toMatchObject({ status: 'unreachable', detail: `${R} (${silent.url}) did not answer within 0.3 s` });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(silent.count).toBe(1);
    } finally {
      c.close();
      await silent.close();
    }
  });
});

describe('RegistryClient result cache', () => {
  it('answers a repeated check from the cache until the TTL passes', async () => {
    const proxy = await startCountingProxy(registry.url);
    let now = Date.parse('2026-01-01T00:00:00Z');
    const c = new RegistryClient({ registries: [{ host: R, endpoint: proxy.url }], cacheTtlMs: 30_000, now: () => now });
    try {
      const first = await c.check(`${R}/api-server:v2.0.1`, []);
      const afterFirst = proxy.count;
      expect(afterFirst).toBe(2); // HEAD manifest, GET tags/list
      now += 29_000;
      const second = await c.check('registry.example.com/api-server:v2.0.1', []);
      expect(proxy.count).toBe(afterFirst);
      expect(second).toEqual(first);
      // Other credentials are another identity: not served from the anonymous result.
      await c.check(`${R}/api-server:v2.0.1`, [{ host: R, username: 'u', password: 'p' }]);
      expect(proxy.count).toBe(afterFirst + 2);
      now += 2_000;
      const third = await c.check(`${R}/api-server:v2.0.1`, []);
      expect(proxy.count).toBe(afterFirst + 4);
      expect(third.checkedAt).toBe(new Date(now).toISOString());
    } finally {
      c.close();
      await proxy.close();
    }
  });

  it('shares one check among concurrent callers of the same image', async () => {
    const proxy = await startCountingProxy(registry.url);
    const c = new RegistryClient({ registries: [{ host: R, endpoint: proxy.url }] });
    try {
      const results = await Promise.all([1, 2, 3].map(() => c.check(`${R}/api-server:v2.0.0`, [])));
      expect(results.map((r) => r.status)).toEqual(['found', 'found', 'found']);
      expect(proxy.count).toBe(1);
    } finally {
      c.close();
      await proxy.close();
    }
  });
});
