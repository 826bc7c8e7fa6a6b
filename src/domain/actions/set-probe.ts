import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import { boundPlan, findContainer, refName, refuse, rolloutProgress } from './plan.js';
import { kubectlTarget, type ActionModule, type JsonPatchOp, type ProbeKind, type RequestOf } from './types.js';

type Request = RequestOf<'set-probe'>;
type Ref = { namespace: string; name: string };

/** The probe handlers that dial a port; exec runs a command and has none. */
const PORT_HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;
type PortHandler = (typeof PORT_HANDLERS)[number];

const probeField = (kind: ProbeKind) => `${kind}Probe` as const;
const portHandler = (p: Probe): PortHandler | undefined => PORT_HANDLERS.find((h) => p[h]);

/** The port number a probe dials: its own, or the containerPort its name stands for. */
function dialedPort(p: Probe, h: PortHandler, c: Container): number | undefined {
  const port = p[h]!.port;
  if (typeof port === 'number' || /^\d+$/.test(port)) return Number(port);
  return c.ports?.find((x) => x.name === port)?.containerPort;
}

/** A shell single-quoted word: what the command line shows must paste and run as is. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The strategic merge patch kubectl sends: containers merge by name and a
 * probe merges field by field, so only what changes is written.
 */
const patchCommand = (ref: Ref, container: string, kind: ProbeKind, probe: Probe) =>
  `kubectl patch ${kubectlTarget(ref)} --type=strategic -p ${shellQuote(JSON.stringify({ spec: { template: { spec: { containers: [{ name: container, [probeField(kind)]: probe }] } } } }))}`;

interface Change {
  /** The probe fields to write, as the strategic patch carries them. */
  probe: Probe;
  ops: JsonPatchOp[];
  summary: string;
}

/** What the request changes on one container, or why it cannot (a string); null when it is already so. */
function probeChange(c: Container, base: string, r: Request, where: string): Change | string | null {
  const existing = c[probeField(r.probe)];
  if (!existing) return r.probe === 'startup' ? newStartupProbe(c, base, r, where) : `container ${c.name} has no ${r.probe} probe`;
  const probe: Probe = {};
  const ops: JsonPatchOp[] = [];
  const changes: string[] = [];
  if (r.port !== undefined) {
    const h = portHandler(existing);
    if (!h) return `the ${r.probe} probe of container ${c.name} runs a command (exec): it has no port`;
    if (dialedPort(existing, h, c) !== r.port) {
      Object.assign(probe, { [h]: { port: r.port } });
      ops.push({ op: 'replace', path: `${base}/${h}/port`, value: r.port });
      changes.push(`port ${existing[h]!.port} → ${r.port}`);
    }
  }
  if (r.initialDelaySeconds !== undefined && (existing.initialDelaySeconds ?? 0) !== r.initialDelaySeconds) {
    probe.initialDelaySeconds = r.initialDelaySeconds;
    ops.push({ op: 'add', path: `${base}/initialDelaySeconds`, value: r.initialDelaySeconds });
    changes.push(`initialDelaySeconds ${existing.initialDelaySeconds ?? 0} → ${r.initialDelaySeconds}`);
  }
  return ops.length ? { probe, ops, summary: `Set the ${r.probe} probe of container ${c.name} of ${where}: ${changes.join(', ')}.` } : null;
}

/** A startup probe checking what the liveness (or readiness) probe checks: liveness waits until it passes. */
function newStartupProbe(c: Container, base: string, r: Request, where: string): Change | string {
  const source = c.livenessProbe ?? c.readinessProbe;
  if (!source) return `container ${c.name} has no liveness or readiness probe to base a startup probe on`;
  const h = portHandler(source);
  if (r.port !== undefined && !h) return `the probes of container ${c.name} run a command (exec): they have no port`;
  const handler = h ? { [h]: { ...source[h], ...(r.port !== undefined ? { port: r.port } : {}) } } : { exec: source.exec };
  const probe: Probe = { ...handler, ...(r.initialDelaySeconds !== undefined ? { initialDelaySeconds: r.initialDelaySeconds } : {}) };
  const delay = r.initialDelaySeconds !== undefined ? `, initialDelaySeconds ${r.initialDelaySeconds}` : '';
  return {
    probe,
    ops: [{ op: 'add', path: base, value: probe }],
    summary: `Add a startup probe to container ${c.name} of ${where} (${h ?? 'exec'} as its ${c.livenessProbe ? 'liveness' : 'readiness'} probe${r.port !== undefined ? `, port ${r.port}` : ''}${delay}).`,
  };
}

const wanted = (r: Request) =>
  [r.port !== undefined ? `port ${r.port}` : '', r.initialDelaySeconds !== undefined ? `initialDelaySeconds ${r.initialDelaySeconds}` : ''].filter(Boolean).join(' and ');

function invalid(r: Request): string | undefined {
  if (r.port === undefined && r.initialDelaySeconds === undefined) return 'nothing to set: give a port, an initialDelaySeconds, or both';
  if (r.port !== undefined && !(Number.isInteger(r.port) && r.port >= 1 && r.port <= 65535)) return `port must be a whole number from 1 to 65535, not ${r.port}`;
  if (r.initialDelaySeconds !== undefined && !(Number.isInteger(r.initialDelaySeconds) && r.initialDelaySeconds >= 0)) {
    return `initialDelaySeconds must be a whole number of seconds from 0, not ${r.initialDelaySeconds}`;
  }
  return undefined;
}

/**
 * The probe fix: point a probe at the port the container listens on
 * (PROBE_PORT_MISMATCH), or give start-up more time before the liveness probe
 * kills it (a longer initialDelaySeconds, or a startup probe).
 */
export const setProbe: ActionModule<'set-probe'> = {
  kind: 'set-probe',
  title: 'Probe change',
  // Without the Deployment only a delay on an existing probe has a patch that fits every probe: the handler decides where a port goes.
  kubectl: (r, ref) =>
    r.port === undefined && r.probe !== 'startup' ? patchCommand(ref, r.container, r.probe, { initialDelaySeconds: r.initialDelaySeconds }) : `kubectl edit ${kubectlTarget(ref)}`,
  plan(input, request) {
    const d = input.deployment;
    const why = invalid(request);
    if (why) return refuse('refused', why);
    const found = findContainer(d, request.container);
    if ('refusal' in found) return found.refusal;
    const container = d.spec!.template.spec!.containers[found.index]!;
    const change = probeChange(container, `/spec/template/spec/containers/${found.index}/${probeField(request.probe)}`, request, refName(d));
    if (typeof change === 'string') return refuse('refused', change);
    if (!change) return refuse('nothing-to-do', `the ${request.probe} probe of container ${request.container} of ${refName(d)} already has ${wanted(request)}`);
    const ref = { namespace: d.metadata?.namespace ?? '', name: d.metadata?.name ?? '' };
    return boundPlan(input, request, patchCommand(ref, request.container, request.probe, change.probe), { summary: change.summary, patch: change.ops });
  },
  progress: rolloutProgress,
};
