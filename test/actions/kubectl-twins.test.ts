import type { Container } from 'kubernetes-types/core/v1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterDirectory, DEFAULT_CLUSTER } from '../../src/adapters/kube/clusters.js';
import { loadKubeConfig } from '../../src/adapters/kube/kubeconfig.js';
import type { ActionPlan, ActionRequest } from '../../src/domain/actions/index.js';
import { MedicError } from '../../src/errors.js';
import { systemClock } from '../../src/ports.js';
import { Remediation } from '../../src/services/remediation.js';
import { startSim, type SimFixture } from '../helpers/sim.js';
import { makeTwins, TWIN_NAMESPACE, twinState } from '../helpers/twins.js';

/**
 * Every action, on twins: one deployment changed by real kubectl, its twin by
 * the Remediation service (plan + apply through client-node, over HTTP); after
 * the simulated controllers run, the two must be the same.
 */
let f: SimFixture;
let remediation: Remediation;
const ns = ['-n', TWIN_NAMESPACE];
const target = (name: string) => ({ cluster: DEFAULT_CLUSTER, namespace: TWIN_NAMESPACE, name });

beforeAll(async () => {
  f = await startSim();
  await f.kubectl.ok('create', 'namespace', TWIN_NAMESPACE);
  // As the composition root wires it: the kubeconfig kubectl uses, one cluster, client-node over HTTP.
  remediation = new Remediation(ClusterDirectory.single(loadKubeConfig({ kubeconfig: f.kubectl.kubeconfigPath })), systemClock);
});
afterAll(() => f.sim.stop());

async function plan(name: string, request: ActionRequest): Promise<ActionPlan> {
  const outcome = await remediation.plan(target(name), request);
  if (!outcome.ok) throw new Error(outcome.refusal.message);
  return outcome.plan;
}

/** The words of a command line as a POSIX shell splits them (single quotes and backslashes). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/(?:'[^']*'|\\.|[^\s'\\])+/g)].map((m) => m[0].replace(/'([^']*)'|\\(.)/g, (_w, quoted?: string, escaped?: string) => quoted ?? escaped ?? ''));
}

const image = (tag: string) => `app=registry.example.com/api-server:${tag}`;
const setImage = (tag: string) => ['set', 'image', 'deployment/NAME', image(tag), ...ns];

const probed: Partial<Container> = {
  ports: [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9090 }],
  livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  readinessProbe: { tcpSocket: { port: 'web' } },
};

interface Case {
  title: string;
  history: string[][];
  container?: Partial<Container>;
  /** What kubectl runs on the first twin; by default the plan's own kubectl command. */
  kubectl?: string[];
  request: ActionRequest;
}

const CASES: Case[] = [
  { title: 'rollback = kubectl rollout undo', history: [setImage('v2.0.1')], kubectl: ['rollout', 'undo', 'deployment/NAME', ...ns], request: { kind: 'rollback' } },
  {
    title: 'rollback --to-revision = kubectl rollout undo --to-revision',
    history: [setImage('v2.1.0'), setImage('v1.9.3')],
    kubectl: ['rollout', 'undo', 'deployment/NAME', ...ns, '--to-revision=2'],
    request: { kind: 'rollback', toRevision: 2 },
  },
  { title: 'restart = kubectl rollout restart', history: [setImage('v2.0.1')], kubectl: ['rollout', 'restart', 'deployment/NAME', ...ns], request: { kind: 'restart' } },
  { title: 'pause = kubectl rollout pause', history: [], kubectl: ['rollout', 'pause', 'deployment/NAME', ...ns], request: { kind: 'pause' } },
  {
    title: 'resume = kubectl rollout resume, and the held-back template rolls out',
    history: [['rollout', 'pause', 'deployment/NAME', ...ns], setImage('v2.0.1')],
    kubectl: ['rollout', 'resume', 'deployment/NAME', ...ns],
    request: { kind: 'resume' },
  },
  { title: 'set-image = kubectl set image', history: [], kubectl: setImage('v2.2.0'), request: { kind: 'set-image', container: 'app', image: 'registry.example.com/api-server:v2.2.0' } },
  {
    title: 'set-memory-limit = kubectl set resources --limits=memory',
    history: [],
    kubectl: ['set', 'resources', 'deployment/NAME', ...ns, '-c', 'app', '--limits=memory=512Mi'],
    request: { kind: 'set-memory-limit', container: 'app', memory: '512Mi' },
  },
  { title: 'scale = kubectl scale --replicas', history: [setImage('v2.0.1')], kubectl: ['scale', 'deployment/NAME', ...ns, '--replicas=4'], request: { kind: 'scale', replicas: 4 } },
  { title: 'set-probe port (httpGet) = its kubectl patch', history: [], container: probed, request: { kind: 'set-probe', container: 'app', probe: 'liveness', port: 9090 } },
  { title: 'set-probe port (tcpSocket, unresolved name) = its kubectl patch', history: [], container: probed, request: { kind: 'set-probe', container: 'app', probe: 'readiness', port: 8080 } },
  {
    title: 'set-probe port (grpc) and delay = its kubectl patch',
    history: [],
    container: { ...probed, livenessProbe: { grpc: { port: 8080 } } },
    request: { kind: 'set-probe', container: 'app', probe: 'liveness', port: 9090, initialDelaySeconds: 45 },
  },
  { title: 'set-probe, a startup probe = its kubectl patch', history: [], container: probed, request: { kind: 'set-probe', container: 'app', probe: 'startup', initialDelaySeconds: 120 } },
];

describe('each action equals kubectl on a twin', () => {
  CASES.forEach((c, i) => {
    it(c.title, async () => {
      const [a, b] = [`twin${i}-kubectl`, `twin${i}-medic`];
      await makeTwins(f, [a, b], c.history, c.container);
      const planned = await plan(b, c.request);
      const kubectl = c.kubectl?.map((s) => s.replace('NAME', a)) ?? shellWords(planned.kubectl.replaceAll(b, a)).slice(1);
      const before = await twinState(f, b);
      await f.kubectl.ok(...kubectl);
      await remediation.apply(target(b), planned);
      f.sim.advance(60_000);
      const after = await twinState(f, b);
      expect(after).toEqual(await twinState(f, a));
      expect(after).not.toEqual(before);
    });
  });
});

describe('a plan bound to the deployment it was made from', () => {
  it('is refused with CONFLICT after kubectl set image, and changes nothing', async () => {
    await makeTwins(f, ['bound-a', 'bound-b'], []);
    const planned = await plan('bound-b', { kind: 'set-image', container: 'app', image: 'registry.example.com/api-server:v3.0.0' });
    await f.kubectl.ok('set', 'image', 'deployment/bound-b', image('v2.0.9'), ...ns);
    const before = await f.kubectl.ok('get', 'deployment', 'bound-b', ...ns, '-o', 'json');
    const error = await remediation.apply(target('bound-b'), planned).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MedicError);
    expect(error).toMatchObject({ code: 'CONFLICT', message: `deployment ${TWIN_NAMESPACE}/bound-b changed since the change was planned; nothing was applied` });
    expect(await f.kubectl.ok('get', 'deployment', 'bound-b', ...ns, '-o', 'json')).toBe(before);
  });
});
