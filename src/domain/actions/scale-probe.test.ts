import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { describe, expect, it } from 'vitest';
import { fixCommand } from '../finding.js';
import { actionProgress, kubectlFor, planAction, type ActionRequest, type PlanOutcome } from './index.js';

const sidecar: Container = { name: 'proxy', image: 'envoy:1' };
const api: Container = {
  name: 'api',
  image: 'api:2',
  ports: [{ name: 'http', containerPort: 3000 }, { containerPort: 9090 }],
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
  readinessProbe: { tcpSocket: { port: 'web' } },
};

function deployment(containers: Container[] = [sidecar, api], replicas?: number): Deployment {
  return {
    metadata: { name: 'web', namespace: 'prod', generation: 4, resourceVersion: '77', annotations: { 'deployment.kubernetes.io/revision': '4' } },
    spec: { ...(replicas !== undefined ? { replicas } : {}), selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
    status: { observedGeneration: 4, replicas: replicas ?? 1, updatedReplicas: replicas ?? 1, availableReplicas: replicas ?? 1 },
  };
}

const plan = (request: ActionRequest, d = deployment()): PlanOutcome => planAction({ deployment: d, replicaSets: [], now: new Date(0) }, request);
const precondition = { op: 'test', path: '/metadata/resourceVersion', value: '77' };
const refusal = (outcome: PlanOutcome) => (outcome.ok ? undefined : outcome.refusal);
function planned(outcome: PlanOutcome) {
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.plan;
}
const patchOf = (probe: string, value: unknown) => `kubectl patch deployment/web -n prod --type=strategic -p '${JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'api', [probe]: value }] } } } })}'`;

describe('scale (kubectl scale)', () => {
  it('sets spec.replicas behind the resourceVersion test', () => {
    const p = planned(plan({ kind: 'scale', replicas: 5 }, deployment(undefined, 3)));
    expect(p.patch).toEqual([precondition, { op: 'add', path: '/spec/replicas', value: 5 }]);
    expect(p.kubectl).toBe('kubectl scale deployment/web -n prod --replicas=5');
    expect(p.summary).toBe('Scale prod/web from 3 to 5 replicas.');
    expect(p.warnings).toBeUndefined();
  });

  it('has nothing to do at the count it has (absent means 1), warns before zero, refuses a negative count', () => {
    expect(refusal(plan({ kind: 'scale', replicas: 1 }))).toEqual({ kind: 'nothing-to-do', message: 'prod/web already has 1 desired replicas' });
    expect(planned(plan({ kind: 'scale', replicas: 0 })).warnings).toEqual(['Scaling to 0 stops every pod of prod/web: it serves nothing until scaled up again.']);
    expect(refusal(plan({ kind: 'scale', replicas: -1 }))).toMatchObject({ kind: 'refused', message: '--replicas must be a whole number from 0, not -1' });
  });

  it('is done when the asked-for replicas are updated and available', () => {
    const scaled = deployment(undefined, 5);
    expect(actionProgress({ kind: 'scale', replicas: 5 }, scaled)).toBe('succeeded');
    expect(actionProgress({ kind: 'scale', replicas: 5 }, { ...scaled, status: { ...scaled.status, availableReplicas: 3 } })).toBe('progressing');
  });
});

describe('set-probe', () => {
  it('points an httpGet probe at the port, in the named container, and shows the kubectl patch', () => {
    const p = planned(plan({ kind: 'set-probe', container: 'api', probe: 'liveness', port: 3000 }));
    expect(p.patch).toEqual([precondition, { op: 'replace', path: '/spec/template/spec/containers/1/livenessProbe/httpGet/port', value: 3000 }]);
    expect(p.kubectl).toBe(patchOf('livenessProbe', { httpGet: { port: 3000 } }));
    expect(p.summary).toBe('Set the liveness probe of container api of prod/web: port 8080 → 3000.');
  });

  it('replaces a named port that names nothing, and a grpc port; a name that already means the port is nothing to do', () => {
    expect(planned(plan({ kind: 'set-probe', container: 'api', probe: 'readiness', port: 3000 })).patch[1]).toEqual({
      op: 'replace',
      path: '/spec/template/spec/containers/1/readinessProbe/tcpSocket/port',
      value: 3000,
    });
    const grpc = deployment([{ ...api, livenessProbe: { grpc: { port: 50051 } } }]);
    expect(planned(plan({ kind: 'set-probe', container: 'api', probe: 'liveness', port: 9090 }, grpc)).patch[1]).toMatchObject({ path: '/spec/template/spec/containers/0/livenessProbe/grpc/port' });
    const named = deployment([{ ...api, readinessProbe: { httpGet: { port: 'http' } } }]);
    expect(refusal(plan({ kind: 'set-probe', container: 'api', probe: 'readiness', port: 3000 }, named))).toEqual({
      kind: 'nothing-to-do',
      message: 'the readiness probe of container api of prod/web already has port 3000',
    });
  });

  it('sets initialDelaySeconds, alone or with the port', () => {
    const p = planned(plan({ kind: 'set-probe', container: 'api', probe: 'liveness', port: 3000, initialDelaySeconds: 120 }));
    expect(p.patch.slice(1)).toEqual([
      { op: 'replace', path: '/spec/template/spec/containers/1/livenessProbe/httpGet/port', value: 3000 },
      { op: 'add', path: '/spec/template/spec/containers/1/livenessProbe/initialDelaySeconds', value: 120 },
    ]);
    expect(p.kubectl).toBe(patchOf('livenessProbe', { httpGet: { port: 3000 }, initialDelaySeconds: 120 }));
    expect(p.summary).toBe('Set the liveness probe of container api of prod/web: port 8080 → 3000, initialDelaySeconds 0 → 120.');
  });

  it('adds a startup probe that checks what the liveness probe checks', () => {
    const p = planned(plan({ kind: 'set-probe', container: 'api', probe: 'startup', initialDelaySeconds: 90 }));
    const probe = { httpGet: { path: '/healthz', port: 8080 }, initialDelaySeconds: 90 };
    expect(p.patch).toEqual([precondition, { op: 'add', path: '/spec/template/spec/containers/1/startupProbe', value: probe }]);
    expect(p.kubectl).toBe(patchOf('startupProbe', probe));
    expect(p.summary).toBe('Add a startup probe to container api of prod/web (httpGet as its liveness probe, initialDelaySeconds 90).');
  });

  it('refuses what it cannot do, naming why', () => {
    const exec = deployment([{ name: 'api', image: 'api:2', livenessProbe: { exec: { command: ['true'] } } }]);
    const cases: Array<[ActionRequest, string, Deployment?]> = [
      [{ kind: 'set-probe', container: 'api', probe: 'liveness', port: 3000 }, 'the liveness probe of container api runs a command (exec): it has no port', exec],
      [{ kind: 'set-probe', container: 'api', probe: 'readiness', initialDelaySeconds: 5 }, 'container api has no readiness probe', exec],
      [{ kind: 'set-probe', container: 'proxy', probe: 'startup', initialDelaySeconds: 5 }, 'container proxy has no liveness or readiness probe to base a startup probe on'],
      [{ kind: 'set-probe', container: 'api', probe: 'liveness' }, 'nothing to set: give a port, an initialDelaySeconds, or both'],
      [{ kind: 'set-probe', container: 'api', probe: 'liveness', port: 70000 }, 'port must be a whole number from 1 to 65535, not 70000'],
      [{ kind: 'set-probe', container: 'db', probe: 'liveness', port: 1 }, 'container "db" is not in prod/web (containers: proxy, api)'],
    ];
    for (const [request, message, d] of cases) expect(refusal(plan(request, d))).toEqual({ kind: 'refused', message });
  });

  it('without the Deployment, shows the patch only where the probe handler does not matter', () => {
    const ref = { namespace: 'prod', name: 'web' };
    expect(kubectlFor({ kind: 'set-probe', container: 'api', probe: 'liveness', initialDelaySeconds: 120 }, ref)).toBe(patchOf('livenessProbe', { initialDelaySeconds: 120 }));
    expect(fixCommand({ kind: 'set-probe', title: 'Point it at 3000', container: 'api', probe: 'liveness', port: 3000 }, ref)).toBe('kubectl edit deployment/web -n prod');
  });
});
