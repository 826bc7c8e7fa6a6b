import type { ServerResponse } from 'node:http';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../object.js';
import { StatusError, badRequest } from '../status-error.js';

export interface LogLine {
  /** Sim time in ms. */
  time: number;
  text: string;
}

/** Where container output lives: written by the simulated kubelet, or by a test through the control API. */
export interface ContainerLogSource {
  lines(namespace: string, pod: string, container: string, previous: boolean): LogLine[];
  /** Calls `onLine` for output written from now on until the returned function is called. */
  follow(namespace: string, pod: string, container: string, onLine: (line: LogLine) => void): () => void;
}

export interface LogParams {
  container?: string;
  previous: boolean;
  tailLines?: number;
  limitBytes?: number;
  sinceSeconds?: number;
  timestamps: boolean;
  follow: boolean;
}

/** Which container the request means, or the apiserver's error when it cannot tell. */
export function resolveContainer(pod: KubeObject, requested: string | undefined): string {
  const spec = (pod as unknown as Pod).spec;
  const names = (spec?.containers ?? []).map((c) => c.name);
  const init = (spec?.initContainers ?? []).map((c) => c.name);
  const name = pod.metadata.name!;
  if (!requested) {
    if (names.length === 1) return names[0]!;
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]${init.length ? ` or one of the init containers: [${init.join(' ')}]` : ''}`);
  }
  if (!names.includes(requested) && !init.includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

const WAITING_TEXT: Record<string, string> = {
  ErrImagePull: 'trying and failing to pull image',
  ImagePullBackOff: 'trying and failing to pull image',
  InvalidImageName: 'invalid image name',
};

/** The kubelet refuses logs of a container that never ran, with these words. */
export function checkLogsAvailable(pod: KubeObject, container: string, previous: boolean): void {
  const status = (pod as unknown as Pod).status;
  const name = pod.metadata.name!;
  if (!(pod as unknown as Pod).spec?.nodeName) {
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  }
  const cs: ContainerStatus | undefined = [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])].find((c) => c.name === container);
  if (previous) {
    if (!cs?.lastState?.terminated) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
    return;
  }
  const waiting = cs?.state?.waiting;
  const ranBefore = Boolean(cs?.lastState?.terminated) || (cs?.restartCount ?? 0) > 0;
  if (!cs || (waiting && !ranBefore)) {
    const reason = waiting?.reason ?? 'ContainerCreating';
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${WAITING_TEXT[reason] ?? reason}`);
  }
}

export function selectLines(lines: LogLine[], p: LogParams, nowMs: number): LogLine[] {
  let out = lines;
  if (p.sinceSeconds !== undefined) out = out.filter((l) => l.time >= nowMs - p.sinceSeconds! * 1000);
  if (p.tailLines !== undefined) out = p.tailLines === 0 ? [] : out.slice(-p.tailLines);
  return out;
}

export function formatLine(l: LogLine, timestamps: boolean): string {
  return timestamps ? `${new Date(l.time).toISOString().replace('Z', '000000Z')} ${l.text}\n` : `${l.text}\n`;
}

/** Writes logs as text/plain, honouring limitBytes; keeps the response open when following. */
export function writeLogs(res: ServerResponse, text: string, limitBytes: number | undefined, follow: boolean): { remaining: number | undefined } {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', ...(follow ? { 'Transfer-Encoding': 'chunked' } : {}) });
  let body = text;
  if (limitBytes !== undefined) body = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
  res.write(body);
  const remaining = limitBytes === undefined ? undefined : limitBytes - Buffer.byteLength(body);
  if (!follow) res.end();
  return { remaining };
}

export function parseIntParam(v: string | null, param: string): number | undefined {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new StatusError(400, 'BadRequest', `invalid value for ${param}: "${v}", expected a non-negative integer`);
  return n;
}
