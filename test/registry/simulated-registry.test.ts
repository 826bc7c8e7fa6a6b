import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import { REGISTRY } from '../../src/sim/kube/catalog/images.js';
import type { ImageCatalog } from '../../src/sim/kube/catalog/types.js';
import { SimulatedRegistry } from '../../src/sim/registry/server.js';
import { registryRequest } from '../helpers/registry-push.js';

/**
 * What the simulated registry does beyond docker-registry 2.8's answers, which
 * the parity test compares: tag-list paging (2.8 ignores n and last there; the
 * simulated one pages as Distribution 3 does), writes refused as a read-only
 * docker-registry refuses them, images that can be pulled whole, and tokens
 * that expire.
 */
let sim: SimulatedRegistry;
let many: SimulatedRegistry;
const MANY_TAGS = 2500;

beforeAll(async () => {
  const tags = Object.fromEntries(Array.from({ length: MANY_TAGS }, (_, i) => [`build-${String(i).padStart(4, '0')}`, {}]));
  const catalog: ImageCatalog = { unreachableHosts: [], repositories: { [`${REGISTRY}/many`]: { tags } } };
  [sim, many] = await Promise.all([SimulatedRegistry.start({ auth: 'anonymous' }), SimulatedRegistry.start({ catalog })]);
});
afterAll(async () => {
  await Promise.all([sim?.stop(), many?.stop()]);
});

const get = async (path: string, method = 'GET', headers: Record<string, string> = {}) => {
  const r = await registryRequest({}, method, new URL(path, sim.url), headers);
  return { status: r.status, link: r.headers.link === undefined ? undefined : String(r.headers.link), allow: r.headers.allow, type: r.headers['content-type'], body: r.body };
};
const json = (body: string) => JSON.parse(body) as unknown;

describe('tag list paging (n, last, Link)', () => {
  it('pages in lexical order and links to the next page while tags remain', async () => {
    const first = await get('/v2/api-server/tags/list?n=2');
    expect(first).toMatchObject({ status: 200, link: '</v2/api-server/tags/list?last=v2.0.0&n=2>; rel="next"' });
    expect(json(first.body)).toEqual({ name: 'api-server', tags: ['v1.9.3', 'v2.0.0'] });
    const next = /<([^>]+)>/.exec(first.link!)![1]!;
    const second = await get(next);
    expect(second.link).toBeUndefined();
    expect(json(second.body)).toEqual({ name: 'api-server', tags: ['v2.1.0'] });
    expect(json((await get('/v2/api-server/tags/list?n=3')).body)).toEqual({ name: 'api-server', tags: ['v1.9.3', 'v2.0.0', 'v2.1.0'] });
    expect((await get('/v2/api-server/tags/list?n=3')).link).toBeUndefined();
    expect(json((await get('/v2/api-server/tags/list?last=v2.0.0')).body)).toEqual({ name: 'api-server', tags: ['v2.1.0'] });
  });

  it('names a nested repository in its Link, escaped as a query value', async () => {
    const r = await get('/v2/private/billing-worker/tags/list?n=1');
    expect(r.link).toBe('</v2/private/billing-worker/tags/list?last=v5.0.0&n=1>; rel="next"');
    const odd = await registryRequest({}, 'GET', new URL('/v2/_catalog?n=1&last=private/billing-worker', sim.url));
    expect(odd.headers.link).toBe('</v2/_catalog?last=profile-api&n=1>; rel="next"');
  });

  it('refuses an n that is not a count, and n=0 asks for nothing', async () => {
    for (const [n, detail] of [['abc', 0], ['-2', -2]] as const) {
      const r = await get(`/v2/api-server/tags/list?n=${n}`);
      expect(r.status).toBe(400);
      expect(r.body).toBe(`{"errors":[{"code":"PAGINATION_NUMBER_INVALID","message":"invalid number of results requested","detail":{"n":${detail}}}]}\n`);
    }
    expect(json((await get('/v2/api-server/tags/list?n=0')).body)).toEqual({ name: 'api-server', tags: [] });
    // As in Distribution, n=0 is answered without looking the repository up.
    expect(json((await get('/v2/no-such-repo/tags/list?n=0')).body)).toEqual({ name: 'no-such-repo', tags: [] });
    expect((await get('/v2/no-such-repo/tags/list?n=1')).status).toBe(404);
  });

  it("the bot's client follows the Link pages of a large repository", async () => {
    const client = new RegistryClient({ registries: [{ host: REGISTRY, endpoint: many.url }], cacheTtlMs: 0 });
    try {
      // The client asks for pages of 1000: build-2499, the nearest tag, is on the third page.
      const r = await client.check(`${REGISTRY}/many:build-2499x`);
      expect(r).toMatchObject({ status: 'tag-not-found', nearestTags: ['build-2499', 'build-0499', 'build-1499'] });
      expect(await client.check(`${REGISTRY}/many:build-1234`)).toMatchObject({ status: 'found' });
    } finally {
      client.close();
    }
  });
});

describe('a read-only registry', () => {
  // docker-registry 2.8.2 with storage.maintenance.readonly.enabled answers writes this way.
  it.each([
    ['POST', '/v2/api-server/blobs/uploads/', 'GET, HEAD'],
    ['PUT', '/v2/api-server/manifests/v9', 'GET, HEAD'],
    ['DELETE', `/v2/api-server/manifests/sha256:${'0'.repeat(64)}`, 'GET, HEAD'],
    ['PATCH', '/v2/api-server/blobs/uploads/0b6a5d3e-1', 'GET, HEAD'],
    ['POST', '/v2/api-server/tags/list', 'GET'],
  ])('%s %s: 405, allowing %s', async (method, path, allow) => {
    expect(await get(path, method)).toMatchObject({ status: 405, allow, type: 'text/plain; charset=utf-8', body: 'Method not allowed\n' });
  });
});

describe('pulling an image whole', () => {
  it('serves the manifest and the blobs it names, each matching its digest', async () => {
    const m = await registryRequest({}, 'GET', new URL('/v2/checkout/manifests/v2.0.1', sim.url), { Accept: 'application/vnd.oci.image.manifest.v1+json' });
    const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
    expect(m.headers['docker-content-digest']).toBe(digestOf(Buffer.from(m.body)));
    const manifest = JSON.parse(m.body) as { config: { digest: string; size: number }; layers: Array<{ digest: string; size: number }> };
    for (const d of [manifest.config, ...manifest.layers]) {
      const blob = Buffer.from(await (await fetch(new URL(`/v2/checkout/blobs/${d.digest}`, sim.url))).arrayBuffer());
      expect(blob.length).toBe(d.size);
      expect(digestOf(blob)).toBe(d.digest);
    }
    const layer = await fetch(new URL(`/v2/checkout/blobs/${manifest.layers[0]!.digest}`, sim.url));
    expect(gunzipSync(Buffer.from(await layer.arrayBuffer())).toString()).toBe('deploy-medic test layer for checkout:v2.0.1\n');
  });
});

describe('token auth', () => {
  it('is on by default for a catalog with a private repository, and tokens expire', async () => {
    let now = Date.parse('2026-06-01T10:00:00Z');
    const reg = await SimulatedRegistry.start({ now: () => now });
    try {
      const base = await registryRequest({}, 'GET', new URL('/v2/', reg.url));
      expect(base.status).toBe(401);
      expect(base.headers['www-authenticate']).toBe(`Bearer realm="${reg.tokenRealm}",service="deploy-medic-registry"`);
      const realm = new URL(reg.tokenRealm!);
      realm.searchParams.set('service', 'deploy-medic-registry');
      realm.searchParams.set('scope', 'repository:api-server:pull');
      const { token } = JSON.parse((await registryRequest({}, 'GET', realm)).body) as { token: string };
      const tags = () => registryRequest({}, 'GET', new URL('/v2/api-server/tags/list', reg.url), { Authorization: `Bearer ${token}` });
      expect((await tags()).status).toBe(200);
      now += 300_000 + 59_000; // lifetime 300 s, 60 s leeway
      expect((await tags()).status).toBe(200);
      now += 2_000;
      const expired = await tags();
      expect(expired.status).toBe(401);
      expect(expired.headers['www-authenticate']).toContain('error="invalid_token"');
    } finally {
      await reg.stop();
    }
  });

  it('is off for a catalog without private repositories', async () => {
    const reg = await SimulatedRegistry.start({ catalog: { unreachableHosts: [], repositories: { [`${REGISTRY}/web`]: { tags: { v1: {} } } } } });
    try {
      expect((await registryRequest({}, 'GET', new URL('/v2/', reg.url))).status).toBe(200);
      expect(reg.tokenRealm).toBeUndefined();
    } finally {
      await reg.stop();
    }
  });
});
