/**
 * The incidents benchmark's API server in its own process. Two worlds:
 *   live NAMESPACE       controllers and kubelets on the real clock (the bot's clock). Prints, per
 *                        pod of NAMESPACE, the wall-clock moment the API server stored its first
 *                        failure signal and its first CrashLoopBackOff:
 *                        {"deployment", "pod", "signal": "first"|"crashloop", "at": epoch ms}
 *   big D P N            no controllers: D deployments of P ready pods over N namespaces
 *                        (big-00…), written straight into the store as the controllers write
 *                        them: the objects are clones of ones this process's controllers made.
 * Both print one JSON line with the URL and kubeconfig first.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { KubeObject } from '../src/sim/kube/object.js';
import { resourceOfKind } from '../src/sim/kube/resources.js';
import { KubeSimulator } from '../src/sim/kube/simulator.js';

const R = resourceOfKind;
const wall = () => performance.timeOrigin + performance.now();
const out = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
const [mode, ...args] = process.argv.slice(2);

interface PodLike {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  status?: { containerStatuses?: Array<{ ready?: boolean; state?: { waiting?: { reason?: string }; terminated?: { exitCode: number } }; lastState?: { terminated?: { exitCode: number } } }> };
}
/** The pod-level signals of domain/failure-signals.ts that a crash shows: a waiting reason past start-up, a non-zero exit. */
function signalsOf(pod: PodLike): { first: boolean; crashloop: boolean } {
  const cs = pod.status?.containerStatuses ?? [];
  const waiting = cs.map((c) => c.state?.waiting?.reason).filter((r): r is string => !!r && r !== 'ContainerCreating' && r !== 'PodInitializing');
  const exited = cs.some((c) => (c.state?.terminated?.exitCode ?? 0) !== 0 || (!c.ready && (c.lastState?.terminated?.exitCode ?? 0) !== 0));
  return { first: waiting.length > 0 || exited, crashloop: waiting.includes('CrashLoopBackOff') };
}

if (mode === 'live') {
  const namespace = args[0]!;
  const sim = await KubeSimulator.start({ clock: 'real' });
  const seen = new Map<string, Set<string>>();
  // Synchronous store notification: the moment the status is stored, before any watch sees it.
  sim.store.subscribe((ev) => {
    if (ev.resource.kind !== 'Pod' || ev.object.metadata.namespace !== namespace) return;
    const pod = ev.object as unknown as PodLike;
    const name = pod.metadata.name!;
    const s = signalsOf(pod);
    const done = seen.get(name) ?? new Set<string>();
    seen.set(name, done);
    for (const signal of ['first', 'crashloop'] as const) {
      if (s[signal] && !done.has(signal)) {
        done.add(signal);
        out({ deployment: pod.metadata.labels?.app, pod: name, signal, at: wall() });
      }
    }
  });
  out({ url: sim.url, kubeconfig: sim.kubeconfig() });
  process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
} else if (mode === 'big') {
  const [deployments, podsEach, namespaces] = args.map(Number) as [number, number, number];
  const started = performance.now();
  const template = await controllerMadeRollout(podsEach);
  const sim = await KubeSimulator.start({ clock: 'real', controllers: false });
  const { store } = sim;
  const clone = (o: KubeObject, name: string, ns: string): KubeObject => {
    const c = JSON.parse(JSON.stringify(o).replaceAll('tmplsvc', name)) as KubeObject;
    c.metadata.namespace = ns;
    delete c.metadata.uid;
    delete c.metadata.resourceVersion;
    return c;
  };
  // Create as the controllers do (spec), then their status writes.
  const write = (kind: string, o: KubeObject, owner?: KubeObject): KubeObject => {
    if (owner) o.metadata.ownerReferences = o.metadata.ownerReferences!.map((r) => ({ ...r, uid: owner.metadata.uid! }));
    const created = store.create(R(kind), { ...o, status: undefined } as KubeObject);
    return store.update(R(kind), { ...created, status: o.status } as KubeObject, { subresource: 'status' });
  };
  let n = 0;
  for (let i = 0; i < namespaces; i++) {
    const ns = `big-${String(i).padStart(2, '0')}`;
    store.create(R('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
    for (let j = 0; j < deployments / namespaces; j++, n++) {
      const name = `svc-${String(n).padStart(5, '0')}`;
      const d = write('Deployment', clone(template.deployment, name, ns));
      const rs = write('ReplicaSet', clone(template.replicaSet, name, ns), d);
      template.pods.forEach((p, k) => {
        const pod = clone(p, name, ns);
        // What differs from pod to pod on a real node: its IP and container IDs.
        const status = pod.status as { podIP: string; podIPs: Array<{ ip: string }>; containerStatuses: Array<{ containerID: string }> };
        status.podIP = `10.${(n >> 8) & 255}.${n & 255}.${k}`;
        status.podIPs = [{ ip: status.podIP }];
        for (const cs of status.containerStatuses) cs.containerID = `containerd://${randomBytes(32).toString('hex')}`;
        write('Pod', pod, rs);
      });
    }
  }
  out({ url: sim.url, kubeconfig: sim.kubeconfig(), loadMs: performance.now() - started, deployments: n, pods: n * podsEach, podBytes: JSON.stringify(template.pods[0]).length });
  process.on('SIGTERM', () => void sim.stop().then(() => process.exit(0)));
} else {
  throw new Error('usage: incidents-sim-server.ts live NAMESPACE | big DEPLOYMENTS PODS_EACH NAMESPACES');
}

/** A healthy rollout of `replicas` pods as this simulator's own deployment controller, scheduler and kubelets leave it. */
async function controllerMadeRollout(replicas: number): Promise<{ deployment: KubeObject; replicaSet: KubeObject; pods: KubeObject[] }> {
  const sim = await KubeSimulator.start({ clock: 'manual', start: new Date() });
  const ns = 'tmpl';
  sim.store.create(R('Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as KubeObject);
  const labels = { app: 'tmplsvc', team: 'payments' };
  sim.store.create(R('Deployment'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'tmplsvc', namespace: ns, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'tmplsvc' } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{
            name: 'app',
            image: 'registry.example.com/api-server:v2.0.0',
            ports: [{ containerPort: 8080 }],
            env: [{ name: 'LOG_LEVEL', value: 'info' }],
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
          }],
        },
      },
    },
  } as unknown as KubeObject);
  for (let s = 0; s < 120; s++) sim.advance(1_000);
  const deployment = sim.store.get(R('Deployment'), ns, 'tmplsvc')!;
  const replicaSet = sim.store.list(R('ReplicaSet'), { namespace: ns })[0]!;
  const pods = sim.store.list(R('Pod'), { namespace: ns });
  const status = deployment.status as { availableReplicas?: number };
  if (pods.length !== replicas || status.availableReplicas !== replicas) throw new Error(`template rollout not ready: ${pods.length} pods, ${status.availableReplicas} available`);
  await sim.stop();
  return { deployment, replicaSet, pods };
}
