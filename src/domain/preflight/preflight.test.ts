import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { preflightReport } from './index.js';
import type { PreflightWorld } from './world.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const template = (probe: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: 'ledger' } },
  spec: { containers: [{ name: 'ledger', image: 'registry.example.com/ledger:v2', ports: [{ name: 'http', containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '128Mi' } }, ...probe }] },
});
const live: Deployment = {
  metadata: { name: 'ledger', namespace: 'prod', uid: 'd-1', generation: 1, annotations: { 'deployment.kubernetes.io/revision': '1' } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'ledger' } }, template: template() },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
};
const rs: ReplicaSet = {
  metadata: { name: 'ledger-1', namespace: 'prod', uid: 'rs-1', annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ledger', uid: 'd-1', controller: true }] },
  spec: { replicas: 1, selector: { matchLabels: { app: 'ledger' } }, template: template() },
  status: { replicas: 1, availableReplicas: 1 },
};
/** The current revision's pod: its container started at 11:00:00 and was ready 95 s later. */
const current: Pod = {
  metadata: { name: 'ledger-1-abcde', namespace: 'prod', uid: 'p-1', labels: { app: 'ledger' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ledger-1', uid: 'rs-1', controller: true }] },
  spec: { nodeName: 'n1', containers: template().spec.containers },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-03-01T11:01:35Z' }],
    containerStatuses: [{ name: 'ledger', image: 'registry.example.com/ledger:v1', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2025-03-01T11:00:00Z' } } }],
  },
};
const node: Node = { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } };

function world(candidateTemplate: ReturnType<typeof template>, extra: Partial<PreflightWorld> = {}): PreflightWorld {
  return {
    source: 'ledger.yaml document 1',
    candidate: { ...live, metadata: { name: 'ledger', namespace: 'prod' }, spec: { ...live.spec!, template: candidateTemplate }, status: undefined },
    live,
    replicaSets: [rs],
    pods: [current],
    clusterPods: [current],
    nodes: [node],
    resourceQuotas: [],
    configRefs: [],
    persistentVolumeClaims: [],
    storageClasses: [],
    services: [],
    events: [],
    registry: [{ image: 'registry.example.com/ledger:v2', status: 'found', detail: 'exists' }],
    notes: [],
    collectedAt: NOW.toISOString(),
    ...extra,
  };
}

const liveness = { livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 3 } };

describe('preflightReport', () => {
  it('warns when the liveness probe would kill the app before it is as ready as the current revision took to be', () => {
    const r = preflightReport(world(template(liveness)), NOW, 5);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'LIVENESS_PROBE_FAILING', severity: 'warning', summary: expect.stringContaining("Revision 1's pods took 95s from start to ready, but the liveness probe of ledger gives up after 50s") })]);
    expect(r.findings[0]!.fixes).toEqual([expect.objectContaining({ kind: 'set-probe', probe: 'liveness', initialDelaySeconds: 210 })]);
    expect(r).toMatchObject({ phase: 'preflight', deployment: { revision: 2, uid: 'd-1' }, lastHealthyRevision: 1 });
  });

  it('is quiet when a startup probe covers the start-up time', () => {
    const covered = { ...liveness, startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 30 } };
    expect(preflightReport(world(template(covered)), NOW, 5).findings).toEqual([]);
  });

  it('a ServiceAccount that does not exist: the pods could not be created, in the apiserver words', () => {
    const t = template();
    Object.assign(t.spec, { serviceAccountName: 'ledger-sa' });
    const r = preflightReport(world(t, { serviceAccount: { name: 'ledger-sa', exists: false } }), NOW, 5);
    expect(r.findings[0]).toMatchObject({ code: 'POD_CREATE_FAILED', summary: expect.stringContaining('error looking up service account prod/ledger-sa: serviceaccount "ledger-sa" not found') });
  });
});
