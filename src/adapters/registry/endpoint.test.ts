import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImageRef, type ImageRef } from '../../domain/image-ref.js';
import { MedicError } from '../../errors.js';
import { apiUrl, RegistryEndpoints } from './endpoint.js';

const ref = (s: string): ImageRef => {
  const r = parseImageRef(s);
  if (!r.ok) throw new Error(r.reason);
  return r.ref;
};
const bases = (e: { bases: URL[] }) => e.bases.map(String);

describe('RegistryEndpoints', () => {
  it('talks HTTPS to the host, and to registry-1.docker.io for Docker Hub', () => {
    const e = new RegistryEndpoints();
    expect(e.for(ref('nginx'))).toEqual({ host: 'docker.io', bases: [new URL('https://registry-1.docker.io')], tls: { verify: true, ca: undefined } });
    expect(bases(e.for(ref('localhost:5000/app:v1')))).toEqual(['https://localhost:5000/']);
  });

  it('uses an endpoint override, matched by normalised host', () => {
    const e = new RegistryEndpoints([
      { host: 'registry.example.com', endpoint: 'http://127.0.0.1:5000' },
      { host: 'index.docker.io', endpoint: 'https://mirror.internal/hub/' },
    ]);
    expect(bases(e.for(ref('registry.example.com/api:v1')))).toEqual(['http://127.0.0.1:5000/']);
    const hub = e.for(ref('redis:7'));
    expect(hub.host).toBe('docker.io');
    expect(String(apiUrl(hub.bases[0]!, '/v2/library/redis/manifests/7'))).toBe('https://mirror.internal/hub/v2/library/redis/manifests/7');
  });

  it('tries HTTPS without verification, then plain HTTP, for an insecure registry', () => {
    const e = new RegistryEndpoints([{ host: 'lab:5000', insecure: true }]);
    const lab = e.for(ref('lab:5000/app:v1'));
    expect(bases(lab)).toEqual(['https://lab:5000/', 'http://lab:5000/']);
    expect(lab.tls.verify).toBe(false);
  });

  it('reads a CA bundle once, and refuses an unreadable one as a configuration error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-medic-ca-'));
    writeFileSync(join(dir, 'ca.pem'), 'PEM');
    expect(new RegistryEndpoints([{ host: 'r.example', caFile: join(dir, 'ca.pem') }]).for(ref('r.example/a')).tls).toEqual({ verify: true, ca: 'PEM' });
    const bad = () => new RegistryEndpoints([{ host: 'r.example', caFile: join(dir, 'missing.pem') }]);
    expect(bad).toThrow(MedicError);
    expect(bad).toThrow(/caFile of r.example/);
    expect(() => new RegistryEndpoints([{ host: 'r.example', endpoint: 'ftp://r.example' }])).toThrow(/must be an http\(s\) URL/);
  });
});
