import { describe, expect, it } from 'vitest';
import { FAMILY_SNAPSHOTS } from '../../../test/fixtures/family-snapshots.js';
import { SnapshotBuilder, pullFailure, startFailure, unschedulable } from '../../../test/fixtures/snapshot-builder.js';
import type { Finding } from '../finding.js';
import { parseRefusal } from './admission.js';
import { analyzeDeployment } from './index.js';

const first = (name: string): Finding => analyzeDeployment(FAMILY_SNAPSHOTS[name]!())[0]!;
const text = (f: Finding) => [f.title, f.summary, ...f.evidence.map((e) => e.detail)].join('\n');
const commands = (f: Finding) => f.fixes.map((x) => ('command' in x ? (x.command ?? '') : '')).join('\n');

describe('scheduling families', () => {
  it('names the taint, the nodes that carry it and the toleration that would fit', () => {
    const f = first('untolerated-taint');
    expect(f.code).toBe('UNTOLERATED_TAINT');
    expect(f.summary).toContain('nodeSelector pool=gpu (sim-gpu-1, sim-gpu-2) carry the taint nvidia.com/gpu=present:NoSchedule');
    expect(f.summary).toContain('{"key":"nvidia.com/gpu","operator":"Equal","value":"present","effect":"NoSchedule"}');
    expect(f.evidence.map((e) => e.name)).toEqual(expect.arrayContaining(['node/sim-gpu-1', 'node/sim-gpu-2']));
    expect(commands(f)).toContain('"tolerations":[{"key":"nvidia.com/gpu","operator":"Equal","value":"present","effect":"NoSchedule"}]');
  });

  it("does not blame the control plane's taint when workers are merely full", () => {
    const s = new SnapshotBuilder('worker')
      .change((c) => void (c.resources = { requests: { memory: '20Gi' } }))
      .readyPods(1, 3)
      .newPods(1, unschedulable('0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.'))
      .build();
    expect(analyzeDeployment(s).map((f) => f.code)).toEqual(['INSUFFICIENT_RESOURCES']);
  });

  it('quotes any other FitError reason as the scheduler gave it', () => {
    const f = first('unschedulable-other');
    expect(f.code).toBe('UNSCHEDULABLE');
    expect(f.title).toBe("Pods unschedulable: 3 node(s) didn't match pod anti-affinity rules");
    expect(commands(f)).toContain('"maxUnavailable":1');
  });

  it('a missing claim, named with the volume that mounts it', () => {
    const f = first('pvc-not-found');
    expect(f).toMatchObject({ code: 'PVC_NOT_FOUND', title: 'PersistentVolumeClaim report-archive not found' });
    expect(text(f)).toContain('persistentvolumeclaim "report-archive" not found');
    expect(f.summary).toContain('Revision 2 added this volume');
  });

  it('an unbound claim, with its StorageClass and what the volume controller says', () => {
    const f = first('pvc-unbound');
    expect(f.code).toBe('PVC_UNBOUND');
    expect(f.summary).toContain('its StorageClass fast-ssd does not exist (the cluster has standard (default))');
    expect(f.summary).toContain('"storageclass.storage.k8s.io "fast-ssd" not found"');
  });
});

describe('pods the apiserver will not create', () => {
  it('LimitRange: the limit and the container with its value, and a fix within it', () => {
    const f = first('limitrange-exceeded');
    expect(f.code).toBe('LIMIT_RANGE_EXCEEDED');
    expect(f.summary).toContain('maximum memory per Container is 1Gi, container etl-runner sets 2Gi');
    expect(f.fixes[0]).toEqual({ kind: 'set-memory-limit', title: "Set etl-runner's memory limit to 1Gi (the LimitRange maximum)", container: 'etl-runner', memory: '1Gi' });
  });

  it('PodSecurity: the level and the violated fields, and the patch that satisfies them', () => {
    const f = first('pod-security-violation');
    expect(f.code).toBe('POD_SECURITY_VIOLATION');
    expect(f.title).toContain('"restricted:latest"');
    expect(f.summary).toContain('securityContext.allowPrivilegeEscalation, securityContext.capabilities.drop, securityContext.runAsNonRoot, securityContext.seccompProfile.type');
    expect(commands(f)).toContain('"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}}');
  });

  it('a webhook: its name and its message', () => {
    const f = first('admission-webhook-denied');
    expect(f.code).toBe('ADMISSION_WEBHOOK_DENIED');
    expect(f.summary).toContain('admission webhook "images.policy.example.com" denied the request: "container "fulfillment-api" uses image');
  });

  it('any other refusal is quoted, and quota stays with the quota family', () => {
    expect(parseRefusal('pods "api-1" is forbidden: error looking up service account production/api: serviceaccount "api" not found')).toMatchObject({
      code: 'POD_CREATE_FAILED',
      reason: 'pods "api-1" is forbidden: error looking up service account production/api: serviceaccount "api" not found',
    });
    expect(parseRefusal('Internal error occurred: failed calling webhook "vpod.kb.io": failed to call webhook: Post "https://webhook.system.svc:443/validate": dial tcp 10.96.0.9:443: connect: connection refused')).toMatchObject({ code: 'ADMISSION_WEBHOOK_DENIED', webhook: 'vpod.kb.io' });
    expect(parseRefusal('pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1')).toBeUndefined();
    const s = new SnapshotBuilder('api').change((c) => void (c.image = 'registry.example.com/api:v2')).deadlineExceeded().readyPods(1, 3)
      .failedCreate((pod) => `pods "${pod}" is forbidden: error looking up service account production/api: serviceaccount "api" not found`).build();
    const [f] = analyzeDeployment(s);
    expect(f).toMatchObject({ code: 'POD_CREATE_FAILED', severity: 'error' });
    expect(f!.summary).toContain('serviceaccount "api" not found');
  });
});

describe('containers that never get going', () => {
  it('an init container is the cause, with its log; the app container waiting on PodInitializing is its victim', () => {
    const findings = analyzeDeployment(FAMILY_SNAPSHOTS['init-container-failing']!());
    expect(findings.map((f) => f.code)).toEqual(['INIT_CONTAINER_FAILING', 'PROGRESS_DEADLINE_EXCEEDED']);
    const f = findings[0]!;
    expect(f.summary).toContain('so invoice-service never starts (waiting on PodInitializing)');
    expect(f.evidence[0]).toMatchObject({ kind: 'log', name: expect.stringContaining('init container db-migrate (previous)') });
    expect(text(f)).toContain('contains null values');
  });

  it('StartError is named with the runtime message, never as a plain crash loop', () => {
    const findings = analyzeDeployment(FAMILY_SNAPSHOTS['container-start-failed']!());
    expect(findings.map((f) => f.code)).not.toContain('CRASH_LOOP');
    expect(findings[0]!.title).toBe('Container thumbnailer cannot start: /app/serve: no such executable in the image');
    expect(findings[0]!.summary).toContain('the new image registry.example.com/thumbnailer:v1.5.0 does not have /app/serve');
  });

  it.each([
    ['CreateContainerError', 'Error response from daemon: failed to create shim: OCI runtime create failed: runc create failed: unable to start container process: error mounting "/data/app.conf" to rootfs at "/etc/app.conf": not a directory', 'a volume mount failed'],
    ['RunContainerError', 'failed to start container "abc": Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "/entrypoint.sh": permission denied: unknown', '/entrypoint.sh: permission denied'],
  ] as const)('%s is a start failure: %s', (reason, message, gist) => {
    const s = new SnapshotBuilder('api').change((c) => void (c.image = 'registry.example.com/api:v2')).readyPods(1, 3).newPods(1, startFailure(reason, message)).build();
    const [f] = analyzeDeployment(s);
    expect(f).toMatchObject({ code: 'CONTAINER_START_FAILED', title: `Container api cannot start: ${gist}` });
    expect(f!.summary).toContain(message);
  });

  it('a startup probe kill is its own finding: the probe, its endpoint, what the app had and what to allow', () => {
    const findings = analyzeDeployment(FAMILY_SNAPSHOTS['startup-probe-failing']!());
    expect(findings.map((f) => f.code)).toEqual(['STARTUP_PROBE_FAILING', 'CRASH_LOOP', 'PROGRESS_DEADLINE_EXCEEDED']);
    const f = findings[0]!;
    expect(f.summary).toContain('(GET /healthz on port http (8080)) gives the app 30s (6 × 5s)');
    expect(f.summary).toContain('the killed instance\'s log ends at "Loading vector index from /data/index.faiss (2.1 GB)"');
    expect(commands(f)).toContain('"startupProbe":{"failureThreshold":30}');
    expect(findings.map((x) => x.code)).not.toContain('LIVENESS_PROBE_FAILING');
  });
});

describe('services', () => {
  it('a selector one value off the pod labels: found although it selects nothing, and named', () => {
    const f = first('service-selector-mismatch');
    expect(f).toMatchObject({ code: 'SERVICE_SELECTOR_MISMATCH', severity: 'critical', title: 'Service profile-api selects tier=back-end; the pods have tier=backend' });
    expect(commands(f)).toContain(`kubectl patch service profile-api -n production -p '{"spec":{"selector":{"tier":"backend"}}}'`);
  });
});

describe('pull errors, classified by what was said', () => {
  const pulling = (error: string, check?: Parameters<SnapshotBuilder['registry']>[0]) => {
    const b = new SnapshotBuilder('api').change((c) => void (c.image = 'registry.example.com/api:v2')).readyPods(1, 3).newPods(1, pullFailure(error));
    return analyzeDeployment((check ? b.registry(check) : b).build())[0]!;
  };

  it('a registry that answered 503 is not unreachable, even when our check could not reach it', () => {
    const f = pulling('rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/api:v2": failed to resolve reference "registry.example.com/api:v2": unexpected status from HEAD request to https://registry.example.com/v2/api/manifests/v2: 503 Service Unavailable', {
      image: 'registry.example.com/api:v2',
      status: 'unreachable',
      detail: 'registry.example.com did not answer within 5 s',
    });
    expect(f.code).toBe('IMAGE_PULL_FAILED');
    expect(f.title).toBe('Cannot pull registry.example.com/api:v2: 503 Service Unavailable');
    expect(f.summary).toContain('Our registry check got no answer from the registry, but the nodes did');
  });

  it('says so when the nodes got no answer but our check did', () => {
    const f = pulling('rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/api:v2": dial tcp 10.0.0.5:443: i/o timeout', { image: 'registry.example.com/api:v2', status: 'tag-not-found', detail: 'manifest unknown', nearestTags: [] });
    expect(f.code).toBe('IMAGE_TAG_NOT_FOUND');
    expect(f.summary).toContain('The nodes got no answer from the registry, but our registry check did');
  });

  it("without the nodes' words, our registry check decides", () => {
    const s = new SnapshotBuilder('api').change((c) => void (c.image = 'registry.example.com/api:v2')).readyPods(1, 3)
      .newPods(1, (p) => p.status({ state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${p.image}"` } } }))
      .registry({ image: 'registry.example.com/api:v2', status: 'unreachable', detail: 'dial tcp: lookup registry.example.com: no such host' })
      .build();
    expect(analyzeDeployment(s)[0]).toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
  });

  it('an unknown answer is still a finding, quoting the kubelet', () => {
    const f = pulling('rpc error: code = Unknown desc = something new went wrong');
    expect(f).toMatchObject({ code: 'IMAGE_PULL_FAILED', severity: 'error' });
    expect(f.summary).toContain('something new went wrong');
  });
});
