import { afterEach, describe, expect, it } from 'vitest';
import { registryRequest } from '../helpers/registry-push.js';
import { startRegistry } from '../helpers/registry.js';

const saved = process.env.DOCKER_REGISTRY_BIN;
afterEach(() => {
  if (saved === undefined) delete process.env.DOCKER_REGISTRY_BIN;
  else process.env.DOCKER_REGISTRY_BIN = saved;
});

describe('the docker-registry test helper', () => {
  it('says how to install the registry when it is missing', async () => {
    process.env.DOCKER_REGISTRY_BIN = '/nonexistent/docker-registry';
    await expect(startRegistry()).rejects.toThrow("install Debian's docker-registry");
  });

  it('stops the registry process in teardown', async () => {
    const registry = await startRegistry();
    expect((await registryRequest(registry, 'GET', new URL('/v2/', registry.url))).status).toBe(200);
    await registry.stop();
    await expect(registryRequest(registry, 'GET', new URL('/v2/', registry.url))).rejects.toThrow(/ECONNREFUSED/);
  });
});
