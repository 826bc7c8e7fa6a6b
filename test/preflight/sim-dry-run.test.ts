import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionReview } from '../../src/sim/kube/admission/webhooks.js';
import { BUILTIN_WEBHOOKS } from '../../src/sim/kube/admission/builtin-webhooks.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

/**
 * The simulator's dryRun=All on Deployments, as the apiserver answers it:
 * defaulting, validation and admission run (webhooks are told it is a dry
 * run), the answer is the object as it would be stored, and nothing is
 * stored, so no controller ever sees it.
 */
type Obj = { metadata: { name?: string; uid?: string; resourceVersion?: string; generation?: number }; spec?: Record<string, unknown> };
let f: SimFixture;
const DEPLOY = '/apis/apps/v1/namespaces/production/deployments';
const reviews: AdmissionReview[] = [];

const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
  const res = await fetch(f.sim.url + path, { method, headers: { 'Content-Type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Obj & { message?: string } };
};
const replicaSets = async () => ((await (await fetch(`${f.sim.url}/apis/apps/v1/namespaces/production/replicasets`)).json()) as { items: Obj[] }).items.map((rs) => rs.metadata.name).sort();

const deployment = (name: string, image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'production' },
  spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } } },
});

beforeAll(async () => {
  f = await startSim({ scenarios: ['healthy'] });
  // A webhook of the test's own on Deployments, recording what the apiserver sends it.
  BUILTIN_WEBHOOKS['policy-system/recorder'] = (review) => {
    reviews.push(review);
    return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request!.uid, allowed: true } };
  };
  expect((await call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'policy-system' } })).status).toBe(201);
  expect((await call('POST', '/api/v1/namespaces/policy-system/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'recorder' }, spec: { ports: [{ port: 443 }] } })).status).toBe(201);
  const webhook = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'recorder' },
    webhooks: [{ name: 'recorder.example.com', clientConfig: { service: { namespace: 'policy-system', name: 'recorder' } }, rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['apps'], apiVersions: ['v1'], resources: ['deployments'] }], sideEffects: 'None', admissionReviewVersions: ['v1'] }],
  };
  expect((await call('POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', webhook)).status).toBe(201);
});

afterAll(async () => {
  delete BUILTIN_WEBHOOKS['policy-system/recorder'];
  await f?.sim.stop();
});

describe('dryRun=All on Deployments', () => {
  it('create: the object as it would be stored (defaults, uid, generation 1, no resourceVersion); nothing stored, no ReplicaSet', async () => {
    const before = await replicaSets();
    const r = await call('POST', `${DEPLOY}?dryRun=All&fieldValidation=Strict`, deployment('dry-web', 'registry.example.com/web-frontend:v1.4.1'));
    expect(r.status).toBe(201);
    expect(r.body.metadata).toMatchObject({ name: 'dry-web', generation: 1 });
    expect(r.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.body.metadata.resourceVersion).toBeUndefined();
    expect(r.body.spec).toMatchObject({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, progressDeadlineSeconds: 600, revisionHistoryLimit: 10 });
    expect(reviews.at(-1)!.request).toMatchObject({ operation: 'CREATE', dryRun: true, name: 'dry-web' });
    f.sim.advance(60_000);
    expect((await call('GET', `${DEPLOY}/dry-web`)).status).toBe(404);
    expect(await replicaSets()).toEqual(before);
  });

  it('update and patch: the new generation as it would be stored; the stored Deployment and its ReplicaSets unchanged', async () => {
    const live = (await call('GET', `${DEPLOY}/web-frontend`)).body;
    const before = await replicaSets();
    const changed = structuredClone(live) as Obj & { spec: { template: { spec: { containers: Array<{ image: string }> } } } };
    changed.spec.template.spec.containers[0]!.image = 'registry.example.com/web-frontend:v9';
    delete changed.metadata.resourceVersion;
    const put = await call('PUT', `${DEPLOY}/web-frontend?dryRun=All`, changed);
    expect(put.status).toBe(200);
    expect(put.body.metadata).toMatchObject({ generation: live.metadata.generation! + 1, resourceVersion: live.metadata.resourceVersion });
    expect(reviews.at(-1)!.request).toMatchObject({ operation: 'UPDATE', dryRun: true });
    const patch = await call('PATCH', `${DEPLOY}/web-frontend?dryRun=All`, { spec: { template: { spec: { containers: [{ name: 'web-frontend', image: 'registry.example.com/web-frontend:v8' }] } } } }, 'application/strategic-merge-patch+json');
    expect(patch.status).toBe(200);
    expect((patch.body.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image).toBe('registry.example.com/web-frontend:v8');
    // kubectl's own server-side dry run, through the same path.
    const manifest = join(f.kubectl.kubeconfigPath, '..', 'changed.json');
    writeFileSync(manifest, JSON.stringify({ ...changed, metadata: { name: 'web-frontend', namespace: 'production' } }));
    expect(await f.kubectl.ok('apply', '-f', manifest, '--dry-run=server')).toBe('deployment.apps/web-frontend configured (server dry run)\n');
    f.sim.advance(60_000);
    const after = (await call('GET', `${DEPLOY}/web-frontend`)).body;
    expect(after.metadata).toMatchObject({ resourceVersion: live.metadata.resourceVersion, generation: live.metadata.generation });
    expect(await replicaSets()).toEqual(before);
  });

  it('admission still judges a dry run: an invalid update is refused with the apiserver words', async () => {
    const live = (await call('GET', `${DEPLOY}/web-frontend`)).body;
    const bad = { ...structuredClone(live), spec: { ...live.spec, selector: { matchLabels: { app: 'other' } } } };
    const r = await call('PUT', `${DEPLOY}/web-frontend?dryRun=All`, bad);
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable');
  });
});
