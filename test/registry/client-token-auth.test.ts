import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

/** Checks against a real registry using token authentication, with the helper's token server as its realm. */
let registry: TestRegistry;
const R = 'registry.example.com';
const PRIVATE = `${R}/private/billing-worker:v5.0.0`;
const ciBot = { host: R, username: 'ci-bot', password: 'b1ll1ng-pull-token' };
const stranger = { host: R, username: 'intern', password: 'intern-pass' };

const newClient = (now?: () => number) => new RegistryClient({ registries: [{ host: R, endpoint: registry.url }], cacheTtlMs: 0, now });
const tokenRequests = () => registry.tokenServer!.requests;

beforeAll(async () => {
  registry = await startRegistry({
    auth: { mode: 'token', users: { 'ci-bot': ciBot.password, intern: stranger.password }, privateRepositories: { 'private/billing-worker': ['ci-bot'] } },
  });
  await registry.push('api-server', 'v2.0.0');
  await registry.push('api-server', 'v2.1.0');
  await registry.push('private/billing-worker', 'v5.0.0');
});
afterAll(() => registry?.stop());

describe('RegistryClient with Bearer tokens', () => {
  it('gets an anonymous token for a public repository', async () => {
    const c = newClient();
    const before = tokenRequests();
    expect(await c.check(`${R}/api-server:v2.0.0`, [])).toMatchObject({ status: 'found', httpStatus: 200 });
    expect(tokenRequests()).toBe(before + 1);
    c.close();
  });

  it('finds a private image with credentials the token service accepts', async () => {
    const c = newClient();
    expect(await c.check(PRIVATE, [ciBot])).toMatchObject({ status: 'found' });
    c.close();
  });

  it('is unauthorized when the token service rejects the password', async () => {
    const c = newClient();
    const r = await c.check(PRIVATE, [{ ...ciBot, password: 'wrong' }]);
    expect(r).toMatchObject({ status: 'unauthorized', httpStatus: 401 });
    expect(r.detail).toBe(`the token service ${registry.tokenServer!.url} rejected the credentials of ci-bot for ${R}/private/billing-worker`);
    c.close();
  });

  it('is unauthorized when the token does not cover the repository', async () => {
    const c = newClient();
    const anonymous = await c.check(PRIVATE, []);
    expect(anonymous).toMatchObject({ status: 'unauthorized', httpStatus: 401 });
    expect(anonymous.detail).toContain('(401 insufficient_scope)');
    const r = await c.check(PRIVATE, [stranger]);
    expect(r.detail).toBe(`the credentials of intern do not grant pull access to ${R}/private/billing-worker (401 insufficient_scope)`);
    c.close();
  });

  it('reuses a token across checks and for the tag list, until it expires', async () => {
    let now = Date.now();
    const c = newClient(() => now);
    const before = tokenRequests();
    await c.check(`${R}/api-server:v2.0.0`, [ciBot]);
    expect(tokenRequests()).toBe(before + 1);
    const missing = await c.check(`${R}/api-server:v2.0.1`, [ciBot]);
    expect(missing).toMatchObject({ status: 'tag-not-found', nearestTags: ['v2.0.0', 'v2.1.0'] });
    expect(tokenRequests()).toBe(before + 1);
    now += 300_000; // the token server's tokens live 300 s
    expect(await c.check(`${R}/api-server:v2.0.0`, [ciBot])).toMatchObject({ status: 'found' });
    expect(tokenRequests()).toBe(before + 2);
    c.close();
  });
});
