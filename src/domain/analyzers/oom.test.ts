import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, oomKilled } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeOom, suggestMemoryLimit } from './oom.js';

const Mi = 2 ** 20;

describe('suggestMemoryLimit', () => {
  it.each([
    [512, 768], // 1.5×
    [128, 256], // +128Mi beats 1.5× for small limits
    [100, 256], // 228Mi rounded up to a whole 64Mi
    [1024, 1536],
    [3000, 4544], // 4500Mi rounded up to 64Mi
  ])('%iMi → %iMi', (limit, suggested) => {
    expect(suggestMemoryLimit(limit * Mi) / Mi).toBe(suggested);
  });

  it('never suggests less than the last healthy revision had', () => {
    expect(suggestMemoryLimit(256 * Mi, 1024 * Mi) / Mi).toBe(1024);
  });
});

function exchange(resources: { requests?: Record<string, string>; limits?: Record<string, string> }, before = resources) {
  return new SnapshotBuilder('exchange-service', { namespace: 'forex-prod' })
    .base((c) => void (c.resources = before))
    .change((c) => void ((c.image = 'registry.example.com/exchange-service:v1.9.0'), (c.resources = resources)))
    .readyPods(1, 3)
    .newPods(2, oomKilled())
    .build();
}

describe('analyzeOom', () => {
  it('reports the limit, a larger one as a fix, and the rollback', () => {
    const [f] = analyzeOom(exchange({ requests: { memory: '512Mi' }, limits: { memory: '512Mi' } }));
    expect(f!.code).toBe('OOM_KILLED');
    expect(f!.title).toBe('exchange-service OOMKilled at its 512Mi memory limit');
    expect(f!.summary).toContain('exceeding its 512Mi memory limit on 2 pods');
    expect(f!.fixes).toEqual([
      { kind: 'set-memory-limit', title: "Raise exchange-service's memory limit to 768Mi", container: 'exchange-service', memory: '768Mi' },
      { kind: 'rollback', title: 'Roll back to revision 1 (exchange-service:v1.0.0)', toRevision: 1 },
    ]);
    expect(f!.evidence[0]!.detail).toBe('container exchange-service: OOMKilled, exit code 137 at 2026-11-21T10:14:42Z, 7 restarts');
    expect(f!.evidence).toContainEqual({ kind: 'spec', name: 'deployment/exchange-service', detail: 'container exchange-service resources: requests.memory=512Mi, limits.memory=512Mi' });
  });

  it('says when the revision lowered the limit and suggests at least the old one', () => {
    const [f] = analyzeOom(exchange({ limits: { memory: '256Mi' } }, { limits: { memory: '1Gi' } }));
    expect(f!.summary).toContain('This revision lowered it from 1Gi.');
    expect(f!.fixes[0]).toMatchObject({ kind: 'set-memory-limit', memory: '1Gi' });
  });

  it('without a limit, blames node memory and derives a limit from the request', () => {
    const [f] = analyzeOom(exchange({ requests: { memory: '512Mi' } }));
    expect(f!.title).toBe('exchange-service OOMKilled (no memory limit)');
    expect(f!.summary).toContain('no memory limit');
    expect(f!.fixes[0]).toMatchObject({ memory: '768Mi' });
  });

  it('finds nothing when no container was OOM-killed', () => {
    expect(analyzeOom(new SnapshotBuilder('exchange-service').build())).toEqual([]);
  });
});
