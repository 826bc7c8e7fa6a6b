import { describe, expect, it } from 'vitest';
import { apiHostOf, formatImageRef, parseImageRef } from './image-ref.js';

const parsed = (s: string) => {
  const r = parseImageRef(s);
  if (!r.ok) throw new Error(r.reason);
  return r.ref;
};

describe('parseImageRef', () => {
  it('applies Docker Hub defaults', () => {
    expect(formatImageRef(parsed('nginx'))).toBe('docker.io/library/nginx:latest');
    expect(formatImageRef(parsed('acme/api:v1'))).toBe('docker.io/acme/api:v1');
    expect(formatImageRef(parsed('registry-1.docker.io/library/redis:7'))).toBe('docker.io/library/redis:7');
    expect(apiHostOf(parsed('nginx'))).toBe('registry-1.docker.io');
  });

  it('keeps registries with ports and digests', () => {
    const r = parsed('localhost:5000/team/app:v2.0.1');
    expect(r).toMatchObject({ registry: 'localhost:5000', repository: 'team/app', tag: 'v2.0.1' });
    const d = parsed(`registry.example.com/app@sha256:${'a'.repeat(64)}`);
    expect(d.tag).toBeUndefined();
    expect(d.digest).toBe(`sha256:${'a'.repeat(64)}`);
  });

  it('rejects upper case repositories and bad tags the way the runtime does', () => {
    expect(parseImageRef('registry.example.com/Notification-Service:v1')).toEqual({
      ok: false,
      reason: 'invalid reference format: repository name must be lowercase',
    });
    expect(parseImageRef('app:bad tag')).toEqual({ ok: false, reason: 'invalid reference format' });
    expect(parseImageRef('app::v1').ok).toBe(false);
    expect(parseImageRef('').ok).toBe(false);
  });
});
