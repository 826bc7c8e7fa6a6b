import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import { credentialsFromSecret } from '../../src/domain/docker-config.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

/** Checks against a real registry with htpasswd (Basic) authentication. */
let registry: TestRegistry;
let client: RegistryClient;
const R = 'registry.example.com';
const PASSWORD = 'b1ll1ng-pull-token';
const image = `${R}/private/billing-worker:v5.0.0`;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const dockerConfigJson = (host: string, user: string, password: string) => ({
  type: 'kubernetes.io/dockerconfigjson',
  data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { [host]: { auth: b64(`${user}:${password}`) } } })) },
});
const dockerCfg = (host: string, user: string, password: string) => ({
  type: 'kubernetes.io/dockercfg',
  data: { '.dockercfg': b64(JSON.stringify({ [host]: { username: user, password } })) },
});

beforeAll(async () => {
  registry = await startRegistry({ auth: { mode: 'htpasswd', users: { 'ci-bot': PASSWORD } } });
  await registry.push('private/billing-worker', 'v5.0.0');
  await registry.push('private/billing-worker', 'v5.1.0');
  await registry.push('library/redis', '7.2');
  client = new RegistryClient({ registries: [{ host: R, endpoint: registry.url }, { host: 'docker.io', endpoint: registry.url }], cacheTtlMs: 0 });
});
afterAll(async () => {
  client?.close();
  await registry?.stop();
});

describe('RegistryClient with Basic authentication', () => {
  it('is unauthorized without credentials', async () => {
    const r = await client.check(image, []);
    expect(r).toMatchObject({ status: 'unauthorized', httpStatus: 401 });
    expect(r.detail).toBe(`${R}/private/billing-worker refused anonymous access (401): it is private or does not exist, and no credentials for ${R} were given`);
  });

  it('is unauthorized with a wrong password, and never repeats the password', async () => {
    const r = await client.check(image, credentialsFromSecret(dockerConfigJson(R, 'ci-bot', 'rotated-wrong')));
    expect(r).toMatchObject({ status: 'unauthorized', httpStatus: 401 });
    expect(r.detail).toBe(`${R}/private/billing-worker rejected the credentials of ci-bot (401)`);
    expect(JSON.stringify(r)).not.toContain('rotated-wrong');
  });

  it('finds the image with a dockerconfigjson pull secret, and with a legacy dockercfg one', async () => {
    expect(await client.check(image, credentialsFromSecret(dockerConfigJson(R, 'ci-bot', PASSWORD)))).toMatchObject({ status: 'found', httpStatus: 200 });
    expect(await client.check(image, credentialsFromSecret(dockerCfg(`https://${R}`, 'ci-bot', PASSWORD)))).toMatchObject({ status: 'found' });
  });

  it('tries every credential for the host in order, as the kubelet does, and ignores other hosts', async () => {
    const podSecret = credentialsFromSecret(dockerConfigJson(R, 'ci-bot', 'stale'));
    const serviceAccountSecret = credentialsFromSecret(dockerConfigJson(R, 'ci-bot', PASSWORD));
    expect(await client.check(image, [...podSecret, ...serviceAccountSecret])).toMatchObject({ status: 'found' });
    const otherHost = credentialsFromSecret(dockerConfigJson('ghcr.io', 'ci-bot', PASSWORD));
    expect(await client.check(image, otherHost)).toMatchObject({ status: 'unauthorized' });
  });

  it('lists tags with the same credentials to name the nearest ones', async () => {
    const r = await client.check(`${R}/private/billing-worker:v5.0.1`, credentialsFromSecret(dockerConfigJson(R, 'ci-bot', PASSWORD)));
    expect(r).toMatchObject({ status: 'tag-not-found', nearestTags: ['v5.0.0', 'v5.1.0'] });
  });

  it('matches Docker Hub credentials saved under https://index.docker.io/v1/', async () => {
    const hub = credentialsFromSecret(dockerConfigJson('https://index.docker.io/v1/', 'ci-bot', PASSWORD));
    expect(await client.check('redis:7.2', hub)).toMatchObject({ status: 'found', ref: { registry: 'docker.io', repository: 'library/redis' } });
  });
});
