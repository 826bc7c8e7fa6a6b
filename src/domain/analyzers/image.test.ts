import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, pullFailure, type PodState } from '../../../test/fixtures/snapshot-builder.js';
import type { RegistryCheck } from '../snapshot.js';
import { analyzeImages, classifyPullError, withTag } from './image.js';

const daemon = (m: string) => `rpc error: code = Unknown desc = Error response from daemon: ${m}`;
const TAG_MISSING = daemon('manifest for registry.example.com/api-server:v2.0.1 not found: manifest unknown: manifest unknown');
const UNAUTHORIZED = daemon('Head "https://registry.example.com/v2/api-server/manifests/v2.0.1": unauthorized: authentication required');

function apiServer(state: PodState, pods = 1, check?: Omit<RegistryCheck, 'image'>) {
  const b = new SnapshotBuilder('api-server', { image: 'registry.example.com/api-server:v2.0.0' })
    .change((c) => void (c.image = 'registry.example.com/api-server:v2.0.1'))
    .readyPods(1, 3)
    .newPods(pods, state);
  if (check) b.registry({ image: 'registry.example.com/api-server:v2.0.1', ...check });
  return b.build();
}

describe('classifyPullError', () => {
  it.each([
    [TAG_MISSING, 'IMAGE_TAG_NOT_FOUND'],
    ['rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:nope": failed to resolve reference "docker.io/library/nginx:nope": docker.io/library/nginx:nope: not found', 'IMAGE_TAG_NOT_FOUND'],
    [daemon("pull access denied for registry.example.com/search-indexr, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"), 'IMAGE_REPOSITORY_NOT_FOUND'],
    [UNAUTHORIZED, 'IMAGE_PULL_UNAUTHORIZED'],
    ['failed to authorize: failed to fetch oauth token: unexpected status: 403 Forbidden', 'IMAGE_PULL_UNAUTHORIZED'],
    [daemon('Get "https://registry.internal.invalid/v2/": dial tcp: lookup registry.internal.invalid on 10.96.0.10:53: no such host'), 'REGISTRY_UNREACHABLE'],
    ['Get "https://10.0.0.5:5000/v2/": dial tcp 10.0.0.5:5000: i/o timeout', 'REGISTRY_UNREACHABLE'],
    ['dial tcp 10.0.0.5:5000: connect: connection refused', 'REGISTRY_UNREACHABLE'],
  ])('%s → %s', (message, code) => {
    expect(classifyPullError(message)).toBe(code);
  });

  it.each([
    ['rpc error: code = Unknown desc = Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit', 'IMAGE_PULL_FAILED'],
    ['rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/api:v2": failed to resolve reference "registry.example.com/api:v2": unexpected status from HEAD request to https://registry.example.com/v2/api/manifests/v2: 503 Service Unavailable', 'IMAGE_PULL_FAILED'],
    ['rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/api:v2": failed to resolve reference "registry.example.com/api:v2": failed to do request: Head "https://registry.example.com/v2/api/manifests/v2": tls: failed to verify certificate: x509: certificate signed by unknown authority', 'IMAGE_PULL_FAILED'],
    ['rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/api:v2": failed to resolve reference "registry.example.com/api:v2": pulling from host registry.example.com failed with status code [manifests v2]: 403 Forbidden', 'IMAGE_PULL_UNAUTHORIZED'],
    ['rpc error: code = DeadlineExceeded desc = context deadline exceeded', 'REGISTRY_UNREACHABLE'],
  ])('an answer is not unreachability: %s → %s', (message, code) => {
    expect(classifyPullError(message)).toBe(code);
  });

  it('leaves words it does not know to the caller, who quotes them', () => {
    expect(classifyPullError('rpc error: code = Unknown desc = something new went wrong')).toBeUndefined();
  });
});

describe('withTag', () => {
  it.each([
    ['registry.example.com/api-server:v2.0.1', 'registry.example.com/api-server:v2.1.0'],
    ['localhost:5000/team/api:v1', 'localhost:5000/team/api:v2.1.0'],
    ['localhost:5000/team/api', 'localhost:5000/team/api:v2.1.0'],
    ['nginx@sha256:0123456789abcdef0123456789abcdef', 'nginx:v2.1.0'],
  ])('%s', (image, expected) => {
    expect(withTag(image, 'v2.1.0')).toBe(expected);
  });
});

describe('analyzeImages', () => {
  it('names the nearest existing tags and offers them and a rollback', () => {
    const [f] = analyzeImages(apiServer(pullFailure(TAG_MISSING), 1, { status: 'tag-not-found', detail: 'manifest unknown', nearestTags: ['v2.1.0', 'v2.0.0'] }));
    expect(f!.code).toBe('IMAGE_TAG_NOT_FOUND');
    expect(f!.title).toBe('Image tag v2.0.1 not found in registry.example.com/api-server');
    expect(f!.summary).toContain('v2.0.1 does not exist in registry.example.com/api-server; v2.1.0 and v2.0.0 do.');
    expect(f!.fixes).toEqual([
      { kind: 'set-image', title: 'Set api-server to v2.1.0', container: 'api-server', image: 'registry.example.com/api-server:v2.1.0' },
      { kind: 'set-image', title: 'Set api-server to v2.0.0', container: 'api-server', image: 'registry.example.com/api-server:v2.0.0' },
      { kind: 'rollback', title: 'Roll back to revision 1 (api-server:v2.0.0)', toRevision: 1 },
    ]);
    expect(f!.evidence).toContainEqual({ kind: 'registry', name: 'registry.example.com/api-server:v2.0.1', detail: 'tag-not-found: manifest unknown' });
    expect(f!.evidence.some((e) => e.kind === 'event' && e.detail.startsWith('Warning Failed: Failed to pull image "registry.example.com/api-server:v2.0.1"'))).toBe(true);
  });

  it('without a registry check, classifies the kubelet message and offers only the rollback', () => {
    const [f] = analyzeImages(apiServer(pullFailure(TAG_MISSING)));
    expect(f!.code).toBe('IMAGE_TAG_NOT_FOUND');
    expect(f!.fixes.map((x) => x.kind)).toEqual(['rollback']);
  });

  it('trusts the registry check over the kubelet message', () => {
    const [f] = analyzeImages(apiServer(pullFailure(TAG_MISSING), 1, { status: 'repository-not-found', detail: 'name unknown' }));
    expect(f!.code).toBe('IMAGE_REPOSITORY_NOT_FOUND');
  });

  it("keeps the nodes' answer when only the bot cannot reach the registry", () => {
    const [f] = analyzeImages(apiServer(pullFailure(TAG_MISSING), 1, { status: 'unreachable', detail: 'registry.example.com did not answer within 5 s' }));
    expect(f!.code).toBe('IMAGE_TAG_NOT_FOUND');
    expect(f!.evidence).toContainEqual({ kind: 'registry', name: 'registry.example.com/api-server:v2.0.1', detail: 'unreachable: registry.example.com did not answer within 5 s' });
  });

  it('keeps the kubelet classification when the registry serves the image, and says so', () => {
    const [f] = analyzeImages(apiServer(pullFailure(UNAUTHORIZED), 1, { status: 'found', detail: 'manifest found', digest: 'sha256:abc' }));
    expect(f!.code).toBe('IMAGE_PULL_UNAUTHORIZED');
    expect(f!.summary).toContain("suspect the nodes' pull credentials or their network path");
  });

  it('aggregates the failing pods of one image into one finding', () => {
    const findings = analyzeImages(apiServer(pullFailure(TAG_MISSING), 3));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.pods).toEqual([...findings[0]!.pods].sort());
    expect(findings[0]!.pods).toHaveLength(3);
    expect(findings[0]!.summary).toContain('3 pods cannot start');
  });

  it('ignores pull failures of pods that are not of the current revision', () => {
    const s = new SnapshotBuilder('api-server').change((c) => void (c.image = 'registry.example.com/api-server:v2.0.1')).readyPods(1, 3).build();
    const old = s.pods[0]!.status!.containerStatuses![0]!;
    Object.assign(old, { ready: false, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "x": ErrImagePull: ${TAG_MISSING}` } } });
    expect(analyzeImages(s)).toEqual([]);
  });
});
