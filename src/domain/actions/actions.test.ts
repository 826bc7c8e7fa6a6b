import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { describe, expect, it } from 'vitest';
import { ACTIONS, actionProgress, kubectlFor, planAction, type ActionRequest, type PlanOutcome } from './index.js';

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'web', image }] },
});

function deployment(spec: Partial<NonNullable<Deployment['spec']>> = {}, status: Deployment['status'] = {}): Deployment {
  return {
    metadata: {
      name: 'web',
      namespace: 'prod',
      generation: 2,
      resourceVersion: '41',
      annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'bad', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template('web:2'), ...spec },
    status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, ...status },
  };
}

const rs = (revision: number, image: string, extra: Record<string, string> = {}): ReplicaSet => ({
  metadata: {
    name: `web-${revision}`,
    annotations: { 'deployment.kubernetes.io/revision': String(revision), 'deployment.kubernetes.io/desired-replicas': '3', ...extra },
  },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(image, `h${revision}`) },
});

const history = [rs(1, 'web:1', { 'kubernetes.io/change-cause': 'good' }), rs(2, 'web:2')];
const now = new Date('2026-12-03T07:15:42.123Z');
const plan = (request: ActionRequest, d = deployment(), replicaSets = history): PlanOutcome => planAction({ deployment: d, replicaSets, now }, request);
const precondition = { op: 'test', path: '/metadata/resourceVersion', value: '41' };

function planned(outcome: PlanOutcome) {
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.plan;
}

describe('rollback (kubectl DeploymentRollbacker)', () => {
  it('targets the second-newest revision and patches template and annotations like kubectl, behind a resourceVersion test', () => {
    const p = planned(plan({ kind: 'rollback' }));
    expect(p).toMatchObject({ fromRevision: 2, toRevision: 1, imagesBefore: ['web:2'], imagesAfter: ['web:1'], resourceVersion: '41' });
    expect(p.kubectl).toBe('kubectl rollout undo deployment/web -n prod --to-revision=1');
    expect(p.summary).toBe('Roll prod/web back from revision 2 to revision 1 (web:1).');
    expect(p.patch).toEqual([
      precondition,
      { op: 'replace', path: '/spec/template', value: template('web:1') },
      {
        op: 'replace',
        path: '/metadata/annotations',
        // Skip-listed keys keep the deployment's values (desired-replicas is not copied back); the rest come from the ReplicaSet.
        value: {
          'deployment.kubernetes.io/revision': '2',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
          'kubernetes.io/change-cause': 'good',
        },
      },
    ]);
  });

  it('refuses a paused deployment, a missing revision, a lone revision, and skips a no-op', () => {
    expect(plan({ kind: 'rollback' }, deployment({ paused: true }))).toEqual({
      ok: false,
      refusal: { kind: 'refused', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again" },
    });
    expect(plan({ kind: 'rollback', toRevision: 7 })).toEqual({ ok: false, refusal: { kind: 'missing', message: 'unable to find specified revision 7 in history' } });
    expect(plan({ kind: 'rollback' }, deployment(), [history[1]!])).toEqual({ ok: false, refusal: { kind: 'missing', message: 'no rollout history found for deployment "web"' } });
    expect(plan({ kind: 'rollback', toRevision: 2 })).toEqual({
      ok: false,
      refusal: { kind: 'nothing-to-do', message: 'skipped rollback (current template already matches revision 2)' },
    });
  });
});

describe('restart, pause, resume', () => {
  it('restart adds restartedAt to the pod template, to the second, as kubectl does', () => {
    const p = planned(plan({ kind: 'restart' }));
    expect(p.patch).toEqual([precondition, { op: 'add', path: '/spec/template/metadata/annotations', value: { 'kubectl.kubernetes.io/restartedAt': '2026-12-03T07:15:42Z' } }]);
    const annotated = deployment({ template: { ...template('web:2'), metadata: { labels: { app: 'web' }, annotations: { a: 'b' } } } });
    expect(planned(plan({ kind: 'restart' }, annotated)).patch[1]).toEqual({ op: 'add', path: '/spec/template/metadata/annotations/kubectl.kubernetes.io~1restartedAt', value: '2026-12-03T07:15:42Z' });
    expect(plan({ kind: 'restart' }, deployment({ paused: true }))).toMatchObject({ ok: false, refusal: { kind: 'refused', message: `deployments.apps "web" can't restart paused deployment (run rollout resume first)` } });
  });

  it('pause sets spec.paused and resume removes it; each refuses the state it would make', () => {
    expect(planned(plan({ kind: 'pause' })).patch).toEqual([precondition, { op: 'add', path: '/spec/paused', value: true }]);
    expect(plan({ kind: 'pause' }, deployment({ paused: true }))).toMatchObject({ ok: false, refusal: { kind: 'nothing-to-do', message: 'prod/web is already paused' } });
    expect(planned(plan({ kind: 'resume' }, deployment({ paused: true }))).patch).toEqual([precondition, { op: 'remove', path: '/spec/paused' }]);
    expect(plan({ kind: 'resume' })).toMatchObject({ ok: false, refusal: { kind: 'nothing-to-do', message: 'prod/web is not paused' } });
  });
});

describe('set image and memory limit', () => {
  it('set-image replaces the named container’s image', () => {
    const p = planned(plan({ kind: 'set-image', container: 'web', image: 'web:3' }));
    expect(p.patch).toEqual([precondition, { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'web:3' }]);
    expect(p.imagesAfter).toEqual(['web:3']);
    expect(p.kubectl).toBe('kubectl set image deployment/web -n prod web=web:3');
    expect(plan({ kind: 'set-image', container: 'api', image: 'x:1' })).toMatchObject({ ok: false, refusal: { kind: 'refused', message: 'container "api" is not in prod/web (containers: web)' } });
  });

  it('set-memory-limit adds what is missing, one level at a time', () => {
    expect(planned(plan({ kind: 'set-memory-limit', container: 'web', memory: '1Gi' })).patch[1]).toEqual({
      op: 'add',
      path: '/spec/template/spec/containers/0/resources',
      value: { limits: { memory: '1Gi' } },
    });
    const withLimits = deployment({ template: { ...template('web:2'), spec: { containers: [{ name: 'web', image: 'web:2', resources: { limits: { cpu: '1' } } }] } } });
    expect(planned(plan({ kind: 'set-memory-limit', container: 'web', memory: '1Gi' }, withLimits)).patch[1]).toEqual({
      op: 'add',
      path: '/spec/template/spec/containers/0/resources/limits/memory',
      value: '1Gi',
    });
  });
});

describe('the kubectl equivalent and the verdict afterwards', () => {
  it('names the command for every action', () => {
    const ref = { namespace: 'prod', name: 'web' };
    expect(kubectlFor({ kind: 'rollback' }, ref)).toBe('kubectl rollout undo deployment/web -n prod');
    expect(kubectlFor({ kind: 'set-memory-limit', container: 'web', memory: '1Gi' }, ref)).toBe('kubectl set resources deployment/web -n prod -c web --limits=memory=1Gi');
    expect(Object.keys(ACTIONS).sort()).toEqual(['pause', 'restart', 'resume', 'rollback', 'scale', 'set-image', 'set-memory-limit', 'set-probe']);
  });

  it('tells succeeded, progressing and failed from the Deployment', () => {
    expect(actionProgress({ kind: 'rollback' }, deployment())).toBe('succeeded');
    expect(actionProgress({ kind: 'rollback' }, deployment({}, { observedGeneration: 2, updatedReplicas: 1 }))).toBe('progressing');
    expect(actionProgress({ kind: 'restart' }, deployment({}, { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }))).toBe('failed');
    expect(actionProgress({ kind: 'pause' }, deployment({ paused: true }))).toBe('succeeded');
    expect(actionProgress({ kind: 'pause' }, deployment({ paused: true }, { observedGeneration: 1 }))).toBe('progressing');
    expect(actionProgress({ kind: 'resume' }, deployment())).toBe('succeeded');
  });
});
