import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type { ImageBehavior } from '../catalog/types.js';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

/** What a running container looks like to a prober at one instant. */
export interface ProbeTarget {
  podIP: string;
  container: Container;
  behavior: ImageBehavior;
  /** Whether the app has finished starting and accepts connections. */
  listening: boolean;
}

/** The port a probe dials: a number, or a named containerPort. */
export function probePort(probe: Probe, c: Container): number | undefined {
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (port === undefined) return undefined;
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/**
 * Runs one probe: undefined on success, otherwise the prober's output,
 * worded as pkg/probe words it (Go's net/http and net errors).
 */
export function runProbe(probe: Probe, t: ProbeTarget): string | undefined {
  if (probe.exec) return undefined;
  const port = probePort(probe, t.container);
  if (port === undefined) {
    const named = probe.httpGet?.port ?? probe.tcpSocket?.port;
    return `unable to find port "${named}" in container ${t.container.name}`;
  }
  const addr = `${t.podIP}:${port}`;
  const refused = `dial tcp ${addr}: connect: connection refused`;
  const reachable = t.listening && t.behavior.listens.includes(port);
  if (probe.tcpSocket) return reachable ? undefined : refused;
  const http = probe.httpGet!;
  const path = http.path ?? '/';
  const url = `${(http.scheme ?? 'HTTP').toLowerCase()}://${addr}${path.startsWith('/') ? path : `/${path}`}`;
  if (!reachable) return `Get "${url}": ${refused}`;
  const status = t.behavior.httpStatus?.[path] ?? 200;
  return status >= 200 && status < 400 ? undefined : `HTTP probe failed with statuscode: ${status}`;
}
