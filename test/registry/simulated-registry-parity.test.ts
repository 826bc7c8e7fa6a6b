import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import type { RegistryCheck } from '../../src/adapters/registry/types.js';
import type { RegistryCredential } from '../../src/domain/docker-config.js';
import { IMAGE_CATALOG, REGISTRY } from '../../src/sim/kube/catalog/images.js';
import { catalogRepositories } from '../../src/sim/registry/catalog-content.js';
import { startCatalogDockerRegistry } from '../../src/sim/registry/docker-registry.js';
import { SimulatedRegistry } from '../../src/sim/registry/server.js';
import { registryRequest } from '../helpers/registry-push.js';
import { pushCatalog, startRegistry, type TestRegistry } from '../helpers/registry.js';

/**
 * The simulated registry against Debian's docker-registry holding the same
 * catalog: the same requests get the same answers (status, headers, bodies,
 * digests, challenges), and the bot's image checks come out the same. Tag
 * order is the one thing compared as a set: docker-registry 2.8 lists tags in
 * its filesystem's order, the simulated one in lexical order.
 */
interface Side {
  url: string;
  stop(): Promise<void>;
}

let real: { token: TestRegistry; anonymous: TestRegistry };
let sim: { token: SimulatedRegistry; anonymous: SimulatedRegistry };

beforeAll(async () => {
  const [token, anonymous, simToken, simAnonymous] = await Promise.all([
    startCatalogDockerRegistry(IMAGE_CATALOG, REGISTRY),
    startRegistry().then(async (r) => (await pushCatalog(r, IMAGE_CATALOG, { hostAlias: REGISTRY }), r)),
    SimulatedRegistry.start(),
    SimulatedRegistry.start({ auth: 'anonymous' }),
  ]);
  real = { token, anonymous };
  sim = { token: simToken, anonymous: simAnonymous };
}, 60_000);

afterAll(async () => {
  await Promise.all([real?.token.stop(), real?.anonymous.stop(), sim?.token.stop(), sim?.anonymous.stop()]);
});

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const CI_BOT = { username: 'ci-bot', password: 'b1ll1ng-pull-token' };
const COMPARED_HEADERS = [
  'content-type',
  'content-length',
  'docker-distribution-api-version',
  'docker-content-digest',
  'etag',
  'link',
  'allow',
  'location',
  'www-authenticate',
  'x-content-type-options',
  'accept-ranges',
  'cache-control',
];

type As = 'nobody' | 'anonymous' | 'ci-bot' | 'wrong-password';
interface Ask {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** Whose token goes along (token mode): default an anonymous one for the path's repository. */
  as?: As;
  scope?: string;
}

/** A token the way a client gets one: the realm and service from the registry's own challenge. */
async function tokenFor(side: Side, scope: string, as: As): Promise<string | undefined> {
  if (as === 'nobody') return undefined;
  const challenge = String((await registryRequest({}, 'GET', new URL('/v2/', side.url))).headers['www-authenticate'] ?? '');
  const param = (k: string) => new RegExp(`${k}="([^"]*)"`).exec(challenge)?.[1];
  const realm = new URL(param('realm')!);
  realm.searchParams.set('service', param('service')!);
  realm.searchParams.set('scope', scope);
  const password = as === 'wrong-password' ? 'expired-token' : CI_BOT.password;
  const basic: Record<string, string> = as === 'anonymous' ? {} : { Authorization: `Basic ${Buffer.from(`${CI_BOT.username}:${password}`).toString('base64')}` };
  const res = await registryRequest({}, 'GET', realm, basic);
  return res.status === 200 ? (JSON.parse(res.body) as { token: string }).token : undefined;
}

function defaultScope(path: string): string {
  const name = /^\/v2\/(.+?)\/(?:tags|manifests|blobs)\//.exec(path)?.[1];
  return name ? `repository:${name}:pull` : 'repository:api-server:pull';
}

/** One answer with what may differ between two registries taken out: the realm's port, tag order, the Date. */
async function ask(side: Side, a: Ask, tokens: boolean): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const token = tokens ? await tokenFor(side, a.scope ?? defaultScope(a.path), a.as ?? 'anonymous') : undefined;
  const res = await registryRequest({}, a.method, new URL(a.path, side.url), { ...a.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) });
  const headers: Record<string, string> = {};
  for (const h of COMPARED_HEADERS) if (res.headers[h] !== undefined) headers[h] = String(res.headers[h]).replace(/realm="[^"]*"/, 'realm="<realm>"');
  let body = res.body;
  try {
    const parsed = JSON.parse(body) as { tags?: unknown };
    if (Array.isArray(parsed.tags)) body = `${JSON.stringify({ ...parsed, tags: [...(parsed.tags as string[])].sort() })}\n`;
  } catch {
    // not JSON: compared as it is
  }
  return { status: res.status, headers, body };
}

async function compare(asks: Ask[], pair: { real: Side; sim: Side }, tokens: boolean) {
  const answers = [];
  for (const a of asks) {
    const [r, s] = await Promise.all([ask(pair.real, a, tokens), ask(pair.sim, a, tokens)]);
    answers.push({ ask: `${a.method} ${a.path} as ${a.as ?? 'anonymous'}`, real: r, sim: s });
  }
  for (const x of answers) expect({ ask: x.ask, ...x.sim }).toEqual({ ask: x.ask, ...x.real });
  return answers;
}

const zeros = `sha256:${'0'.repeat(64)}`;
const accept = { Accept: ACCEPT };

describe('the simulated registry answers as docker-registry does (token auth)', () => {
  it('answers the same to base, tag list, manifest, blob and error requests', async () => {
    const pair = { real: real.token, sim: sim.token };
    const manifest = await ask(real.token, { method: 'GET', path: '/v2/api-server/manifests/v2.0.0', headers: accept }, true);
    const digest = manifest.headers['docker-content-digest']!;
    const configDigest = (JSON.parse(manifest.body) as { config: { digest: string } }).config.digest;
    const answers = await compare(
      [
        { method: 'GET', path: '/v2/', as: 'nobody' },
        { method: 'GET', path: '/v2/' },
        { method: 'HEAD', path: '/v2/' },
        { method: 'GET', path: '/v2' },
        { method: 'GET', path: '/v2/api-server/tags/list', as: 'nobody' },
        { method: 'GET', path: '/v2/api-server/tags/list' },
        { method: 'GET', path: '/v2/api-server/tags/list/' },
        { method: 'GET', path: '/v2/api-server/tags/list', scope: 'repository:web-frontend:pull' },
        { method: 'GET', path: '/v2/api-server%2Fx/tags/list' },
        { method: 'HEAD', path: '/v2/api-server/tags/list' },
        { method: 'POST', path: '/v2/api-server/tags/list', as: 'nobody' },
        { method: 'GET', path: '/v2/search-indexr/tags/list' },
        { method: 'GET', path: '/v2/private/tags/list' },
        { method: 'GET', path: '/v2/Notification-Service/tags/list' },
        { method: 'GET', path: '/v2/a._b/tags/list' },
        { method: 'GET', path: '/v2/Foo/bar/tags/list' },
        { method: 'GET', path: '/v2/localhost:5000/bar/manifests/v1', headers: accept },
        { method: 'DELETE', path: `/v2/api-server/manifests/${zeros}`, as: 'nobody' },
        { method: 'GET', path: '/v2/api-server/blobs/uploads' },
        { method: 'GET', path: `/v2/${'a'.repeat(256)}/tags/list` },
        { method: 'GET', path: '/v2/private/billing-worker/tags/list', as: 'nobody' },
        { method: 'GET', path: '/v2/private/billing-worker/tags/list' },
        { method: 'GET', path: '/v2/private/billing-worker/tags/list', as: 'ci-bot' },
        { method: 'GET', path: '/v2/private/billing-worker/tags/list', headers: { Authorization: 'Bearer not-a-token' }, as: 'nobody' },
        { method: 'HEAD', path: '/v2/private/billing-worker/manifests/v5.1.0', headers: accept, as: 'nobody' },
        { method: 'HEAD', path: '/v2/private/billing-worker/manifests/v5.1.0', headers: accept, as: 'ci-bot' },
        { method: 'HEAD', path: '/v2/api-server/manifests/v2.0.0', headers: accept },
        { method: 'GET', path: '/v2/api-server/manifests/v2.0.0', headers: accept },
        { method: 'GET', path: '/v2/api-server/manifests/v2.0.0', headers: { Accept: 'application/json, application/vnd.oci.image.manifest.v1+json;q=0.5' } },
        { method: 'GET', path: '/v2/api-server/manifests/v2.0.0' },
        { method: 'GET', path: '/v2/api-server/manifests/v2.0.0', headers: { Accept: '*/*' } },
        { method: 'HEAD', path: '/v2/api-server/manifests/v2.0.0' },
        { method: 'GET', path: '/v2/api-server/manifests/v2.0.0', headers: { ...accept, 'If-None-Match': `"${digest}"` } },
        { method: 'HEAD', path: `/v2/api-server/manifests/${digest}`, headers: accept },
        { method: 'GET', path: `/v2/api-server/manifests/${digest}`, headers: accept },
        { method: 'GET', path: `/v2/web-frontend/manifests/${digest}`, headers: accept },
        { method: 'HEAD', path: '/v2/api-server/manifests/v2.0.1', headers: accept },
        { method: 'GET', path: '/v2/api-server/manifests/v2.0.1', headers: accept },
        { method: 'GET', path: '/v2/search-indexr/manifests/v3.2.0', headers: accept },
        { method: 'GET', path: `/v2/api-server/manifests/${zeros}`, headers: accept },
        { method: 'GET', path: `/v2/api-server/manifests/sha512:${'0'.repeat(128)}`, headers: accept },
        { method: 'GET', path: '/v2/api-server/manifests/sha256:abc', headers: accept },
        { method: 'GET', path: '/v2/api-server/manifests/_v1', headers: accept },
        { method: 'GET', path: '/v2/api-server/manifests/.v1', headers: accept },
        { method: 'GET', path: `/v2/api-server/manifests/${'x'.repeat(129)}`, headers: accept },
        { method: 'GET', path: `/v2/api-server/blobs/${configDigest}` },
        { method: 'HEAD', path: `/v2/api-server/blobs/${configDigest}` },
        { method: 'GET', path: `/v2/web-frontend/blobs/${configDigest}` },
        { method: 'GET', path: `/v2/api-server/blobs/${zeros}` },
        { method: 'GET', path: '/v2/api-server/blobs/sha256:a8a2' },
        { method: 'GET', path: '/v2/api-server/blobs/uploads/' },
        { method: 'GET', path: '/v2/_catalog' },
        { method: 'GET', path: '/v2/nothing/here' },
        { method: 'GET', path: '/foo' },
      ],
      pair,
      true,
    );
    // Not two identical failures: the answers say what docker-registry says.
    const byAsk = new Map(answers.map((x) => [x.ask, x.real]));
    expect(byAsk.get('GET /v2/api-server/manifests/v2.0.1 as anonymous')).toMatchObject({ status: 404, body: expect.stringContaining('"MANIFEST_UNKNOWN"') });
    expect(byAsk.get('GET /v2/search-indexr/tags/list as anonymous')).toMatchObject({ status: 404, body: expect.stringContaining('"NAME_UNKNOWN"') });
    expect(byAsk.get('HEAD /v2/private/billing-worker/manifests/v5.1.0 as ci-bot')).toMatchObject({ status: 200, headers: { 'docker-content-digest': expect.stringMatching(/^sha256:/) } });
    expect(byAsk.get('GET /v2/private/billing-worker/tags/list as anonymous')!.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it('holds every catalog image under the same digest', async () => {
    const asks = catalogRepositories(IMAGE_CATALOG, REGISTRY).flatMap((repo) =>
      repo.tags.map((tag): Ask => ({ method: 'HEAD', path: `/v2/${repo.name}/manifests/${tag}`, headers: accept, as: repo.readers ? 'ci-bot' : 'anonymous' })),
    );
    const answers = await compare(asks, { real: real.token, sim: sim.token }, true);
    expect(answers.length).toBeGreaterThan(60);
    for (const x of answers) expect(x.real.status, x.ask).toBe(200);
  });

  it('has the same token service: wrong password, unknown service', async () => {
    const wrong = await Promise.all([real.token, sim.token].map((side) => tokenFor(side, 'repository:private/billing-worker:pull', 'wrong-password')));
    expect(wrong).toEqual([undefined, undefined]);
    const realms = await Promise.all(
      [real.token, sim.token].map(async (side) => {
        const challenge = String((await registryRequest({}, 'GET', new URL('/v2/', side.url))).headers['www-authenticate']);
        const realm = new URL(/realm="([^"]*)"/.exec(challenge)![1]!);
        realm.searchParams.set('service', 'some-other-registry');
        const r = await registryRequest({}, 'GET', realm);
        return { status: r.status, body: r.body };
      }),
    );
    expect(realms[1]).toEqual(realms[0]);
    expect(realms[0]).toEqual({ status: 400, body: '{"details":"unknown service"}' });
  });
});

describe('the simulated registry answers as docker-registry does (no auth)', () => {
  it('pages the catalog and answers tag lists alike', async () => {
    const total = catalogRepositories(IMAGE_CATALOG, REGISTRY).length;
    await compare(
      [
        { method: 'GET', path: '/v2/' },
        { method: 'GET', path: '/v2/_catalog' },
        { method: 'GET', path: '/v2/_catalog?n=2' },
        { method: 'GET', path: '/v2/_catalog?n=2&last=private/billing-worker' },
        { method: 'GET', path: `/v2/_catalog?n=${total - 1}` },
        { method: 'GET', path: `/v2/_catalog?n=${total}` },
        { method: 'GET', path: '/v2/_catalog?n=0' },
        { method: 'GET', path: '/v2/_catalog?n=abc' },
        { method: 'GET', path: '/v2/_catalog?n=-1' },
        { method: 'GET', path: '/v2/_catalog?n=5000' },
        { method: 'GET', path: '/v2/_catalog?n=08' },
        { method: 'GET', path: '/v2/_catalog?last=web-frontend' },
        { method: 'HEAD', path: '/v2/_catalog' },
        { method: 'GET', path: '/v2/api-server/tags/list' },
        { method: 'GET', path: '/v2/private/billing-worker/tags/list' },
        { method: 'GET', path: '/v2/search-indexr/tags/list' },
        { method: 'HEAD', path: '/v2/api-server/manifests/v2.0.0', headers: accept },
        { method: 'HEAD', path: '/v2/private/billing-worker/manifests/v5.0.0', headers: accept },
        { method: 'GET', path: '/v2/api-server/manifests/v2.0.1', headers: accept },
      ],
      { real: real.anonymous, sim: sim.anonymous },
      false,
    );
  });
});

describe("the bot's image checks come out the same", () => {
  const ciBot: RegistryCredential = { host: REGISTRY, ...CI_BOT };
  const expired: RegistryCredential = { host: REGISTRY, username: 'ci-bot', password: 'expired-token' };
  const cases: Array<[string, RegistryCredential[], Partial<RegistryCheck>]> = [
    [`${REGISTRY}/api-server:v2.0.0`, [], { status: 'found', httpStatus: 200 }],
    [`${REGISTRY}/api-server:v2.0.1`, [], { status: 'tag-not-found', nearestTags: ['v2.0.0', 'v2.1.0', 'v1.9.3'] }],
    [`${REGISTRY}/api-server:latest`, [], { status: 'tag-not-found' }],
    [`${REGISTRY}/checkout:v2.0.2`, [], { status: 'tag-not-found', nearestTags: ['v2.0.1', 'v2.0.0'] }],
    [`${REGISTRY}/search-indexr:v3.2.0`, [], { status: 'repository-not-found' }],
    [`${REGISTRY}/private/billing-worker:v5.1.0`, [ciBot], { status: 'found' }],
    [`${REGISTRY}/private/billing-worker:v5.1.0`, [expired], { status: 'unauthorized' }],
    [`${REGISTRY}/private/billing-worker:v5.1.0`, [], { status: 'unauthorized' }],
    [`${REGISTRY}/private/billing-worker:v5.2.0`, [ciBot], { status: 'tag-not-found', nearestTags: ['v5.1.0', 'v5.0.0'] }],
    [`${REGISTRY}/api-server@${zeros}`, [], { status: 'tag-not-found', nearestTags: [] }],
    [`${REGISTRY}/Notification-Service:v1.2.0`, [], { status: 'invalid-reference' }],
  ];

  const checkAll = async (side: Side) => {
    const client = new RegistryClient({ registries: [{ host: REGISTRY, endpoint: side.url }], cacheTtlMs: 0 });
    try {
      const results = [];
      for (const [image, credentials] of cases) {
        const { checkedAt: _t, ...r } = await client.check(image, credentials);
        results.push({ ...r, detail: r.detail.replace(/127\.0\.0\.1:\d+/g, '<loopback>') });
      }
      const digest = results[0]!.digest!;
      const { checkedAt: _t, ...byDigest } = await client.check(`${REGISTRY}/api-server@${digest}`, []);
      return { results, byDigest };
    } finally {
      client.close();
    }
  };

  it('same status, digest, nearest tags and words for each image', async () => {
    const [r, s] = await Promise.all([checkAll(real.token), checkAll(sim.token)]);
    expect(s).toEqual(r);
    cases.forEach(([image, , expected], i) => expect(r.results[i], image).toMatchObject(expected));
    expect(r.results[0]!.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(r.byDigest).toMatchObject({ status: 'found', digest: r.results[0]!.digest });
    expect(r.results[1]!.detail).toBe('tag v2.0.1 of registry.example.com/api-server does not exist; the nearest existing tags are v2.0.0, v2.1.0, v1.9.3');
  });
});
