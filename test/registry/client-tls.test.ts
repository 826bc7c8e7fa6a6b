import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/adapters/registry/client.js';
import type { RegistrySettings } from '../../src/adapters/registry/types.js';
import { startRegistry, type TestRegistry } from '../helpers/registry.js';

/** A real registry serving HTTPS with a self-signed certificate: the per-registry TLS settings decide. */
let registry: TestRegistry;
let image: string;

beforeAll(async () => {
  registry = await startRegistry({ tls: true });
  await registry.push('api-server', 'v2.0.0');
  image = `${registry.host}/api-server:v2.0.0`;
});
afterAll(() => registry?.stop());

async function checkWith(settings: RegistrySettings[]) {
  const c = new RegistryClient({ registries: settings });
  try {
    return await c.check(image, []);
  } finally {
    c.close();
  }
}

describe('RegistryClient TLS settings', () => {
  it('refuses a certificate it cannot verify', async () => {
    const r = await checkWith([]);
    expect(r.status).toBe('unreachable');
    expect(r.detail).toMatch(/TLS failed: self[- ]signed certificate/);
  });

  it('trusts the registry with its CA file', async () => {
    expect(await checkWith([{ host: registry.host, caFile: registry.caFile! }])).toMatchObject({ status: 'found' });
    expect(await checkWith([{ host: registry.host, endpoint: registry.url, caFile: registry.caFile! }])).toMatchObject({ status: 'found' });
  });

  it('skips verification for an insecure registry', async () => {
    expect(await checkWith([{ host: registry.host, insecure: true }])).toMatchObject({ status: 'found' });
  });
});
