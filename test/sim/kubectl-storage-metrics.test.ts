/**
 * Real kubectl against the resources the new scenarios bring (PVCs,
 * StorageClasses, LimitRanges, validating webhooks), `kubectl top` over
 * metrics.k8s.io, and HorizontalPodAutoscalers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseTable } from '../helpers/kubectl.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
beforeAll(async () => {
  f = await startSim({ scenarios: ['pvc-unbound', 'limitrange-exceeded', 'admission-webhook-denied', 'init-container-failing', 'untolerated-taint'] });
});
afterAll(() => f.sim.stop());

const podsOf = async (ns: string, app: string) => (await f.get<{ items: Pod[] }>(`/api/v1/namespaces/${ns}/pods?labelSelector=app%3D${app}`)).items;
const pendingPod = async (ns: string, app: string) => (await podsOf(ns, app)).find((p) => p.status?.phase === 'Pending')!.metadata!.name!;

describe('storage', () => {
  it('kubectl get pvc,limitrange lists both kinds', async () => {
    const out = await f.kubectl.ok('get', 'pvc,limitrange', '-n', 'production');
    expect(out).toContain('persistentvolumeclaim/document-store-data');
    const pvc = parseTable(out.split('\n\n')[0]!)[0]!;
    expect(pvc).toMatchObject({ NAME: 'persistentvolumeclaim/document-store-data', STATUS: 'Pending', VOLUME: '', CAPACITY: '', 'ACCESS MODES': '', STORAGECLASS: 'fast-ssd', VOLUMEATTRIBUTESCLASS: '<unset>' });
    const limits = parseTable(await f.kubectl.ok('get', 'limitrange', '-n', 'analytics'));
    expect(limits).toEqual([{ NAME: 'container-limits', 'CREATED AT': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }]);
  });

  it('kubectl get storageclass marks the default class', async () => {
    const rows = parseTable(await f.kubectl.ok('get', 'sc'));
    expect(rows).toEqual([
      { NAME: 'standard (default)', PROVISIONER: 'rancher.io/local-path', RECLAIMPOLICY: 'Delete', VOLUMEBINDINGMODE: 'WaitForFirstConsumer', ALLOWVOLUMEEXPANSION: 'false', AGE: expect.any(String) },
    ]);
  });

  it('kubectl describe pvc shows the provisioning failure and the pod using it', async () => {
    const out = await f.kubectl.ok('describe', 'pvc', 'document-store-data', '-n', 'production');
    expect(out).toMatch(/Status:\s+Pending/);
    expect(out).toMatch(/StorageClass:\s+fast-ssd/);
    expect(out).toMatch(/Finalizers:\s+\[kubernetes\.io\/pvc-protection\]/);
    expect(out).toContain(`Used By:       ${await pendingPod('production', 'document-store')}`);
    expect(out).toMatch(/Warning\s+ProvisioningFailed\s+.*persistentvolume-controller\s+storageclass\.storage\.k8s\.io "fast-ssd" not found/);
  });

  it('kubectl describe pod shows the claim volume and the scheduler\'s words', async () => {
    const out = await f.kubectl.ok('describe', 'pod', await pendingPod('production', 'document-store'), '-n', 'production');
    expect(out).toMatch(/Type:\s+PersistentVolumeClaim \(a reference to a PersistentVolumeClaim in the same namespace\)\n\s+ClaimName:\s+document-store-data/);
    expect(out).toContain('pod has unbound immediate PersistentVolumeClaims. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.');
  });

  it('kubectl describe node shows the GPU pool taint', async () => {
    expect(await f.kubectl.ok('describe', 'node', 'sim-gpu-1')).toMatch(/Taints:\s+nvidia\.com\/gpu=present:NoSchedule/);
  });
});

describe('admission', () => {
  it('kubectl get validatingwebhookconfigurations counts the webhooks', async () => {
    expect(parseTable(await f.kubectl.ok('get', 'validatingwebhookconfigurations'))).toEqual([{ NAME: 'image-policy', WEBHOOKS: '1', AGE: expect.any(String) }]);
  });

  it('a pod created by hand is denied by the webhook with the apiserver\'s words', async () => {
    const r = await f.kubectl.run('run', 'probe', '-n', 'fulfillment', '--image=docker.io/library/busybox:1.36');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Forbidden): admission webhook "images.policy.example.com" denied the request: container "probe" uses image "docker.io/library/busybox:1.36" from registry "docker.io", which is not an approved registry (approved: registry.example.com)\n',
    );
  });

  it('kubectl describe rs shows the LimitRange refusal', async () => {
    const out = await f.kubectl.ok('describe', 'rs', '-n', 'analytics', '-l', 'app=etl-runner');
    expect(out).toMatch(/Warning\s+FailedCreate\s+.*replicaset-controller\s+Error creating: pods "etl-runner-[a-z0-9]+-[a-z0-9]{5}" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi/);
  });
});

describe('init containers', () => {
  it('kubectl get pods shows Init:CrashLoopBackOff; logs of the init container, current and previous', async () => {
    const pod = await pendingPod('production', 'invoice-service');
    const row = parseTable(await f.kubectl.ok('get', 'pod', pod, '-n', 'production'))[0]!;
    expect(row.STATUS).toBe('Init:CrashLoopBackOff');
    expect(await f.kubectl.ok('logs', pod, '-n', 'production', '-c', 'db-migrate', '--previous')).toContain('migration file "20250611093000_add_tax_region_to_invoices.js" failed');
    const main = await f.kubectl.run('logs', pod, '-n', 'production');
    expect(main.stderr).toContain(`container "invoice-service" in pod "${pod}" is waiting to start: PodInitializing`);
  });
});

describe('metrics.k8s.io', () => {
  it('kubectl top pods prints the running pods\' usage', async () => {
    const rows = parseTable(await f.kubectl.ok('top', 'pods', '-n', 'production', '-l', 'app=document-store'));
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toMatchObject({ 'CPU(cores)': '10m', 'MEMORY(bytes)': '200Mi' });
    const containers = parseTable(await f.kubectl.ok('top', 'pod', rows[0]!.NAME!, '-n', 'production', '--containers'));
    expect(containers).toEqual([{ POD: rows[0]!.NAME, NAME: 'document-store', 'CPU(cores)': '10m', 'MEMORY(bytes)': '200Mi' }]);
  });

  it('a pod that is not running has no metrics', async () => {
    const r = await f.kubectl.run('top', 'pod', await pendingPod('production', 'document-store'), '-n', 'production');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NotFound|not found/);
  });

  it('kubectl top nodes prints every node', async () => {
    const rows = parseTable(await f.kubectl.ok('top', 'nodes'));
    expect(rows.map((r) => r.NAME).sort()).toEqual(['sim-control-plane', 'sim-gpu-1', 'sim-gpu-2', 'sim-worker-1', 'sim-worker-2', 'sim-worker-3']);
    expect(rows.every((r) => /^\d+m$/.test(r['CPU(cores)']!) && /^\d+Mi$/.test(r['MEMORY(bytes)']!))).toBe(true);
  });
});

describe('horizontalpodautoscalers', () => {
  it('kubectl apply, get and delete an autoscaling/v2 HPA', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hpa-')), 'hpa.yaml');
    writeFileSync(
      path,
      stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'document-store', namespace: 'production' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'document-store' },
          maxReplicas: 6,
          metrics: [
            { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
            { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '300Mi' } } },
          ],
        },
      }),
    );
    expect(await f.kubectl.ok('apply', '-f', path)).toBe('horizontalpodautoscaler.autoscaling/document-store created\n');
    const rows = parseTable(await f.kubectl.ok('get', 'hpa', '-n', 'production'));
    expect(rows).toEqual([
      { NAME: 'document-store', REFERENCE: 'Deployment/document-store', TARGETS: 'cpu: <unknown>/70%, memory: <unknown>/300Mi', MINPODS: '1', MAXPODS: '6', REPLICAS: '0', AGE: expect.any(String) },
    ]);
    expect(await f.kubectl.ok('get', 'all', '-n', 'production', '-o', 'name')).toContain('horizontalpodautoscaler.autoscaling/document-store');
    expect(await f.kubectl.ok('delete', 'hpa', 'document-store', '-n', 'production')).toBe('horizontalpodautoscaler.autoscaling "document-store" deleted\n');
  });
});
