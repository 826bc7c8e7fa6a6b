/**
 * The control API's log endpoint: a snapshot loaded into the simulator
 * without controllers holds container logs, current and previous, which
 * kubectl reads back as from a kubelet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureStatus, startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
const NS = 'shop';
const POD = 'api-7d9f8c6b5d-x2x7q';

const send = (method: string, path: string, body: string, contentType = 'application/json') =>
  fetch(f.sim.url + path, { method, headers: { 'Content-Type': contentType }, body });
const messageOf = async (res: Response) => ((await res.json()) as { message: string }).message;
const putLog = (query: string, text: string) => send('PUT', `/_sim/v1/namespaces/${NS}/pods/${POD}/log${query}`, text, 'text/plain');

/** A pod as observed: its api container crashed once and runs again. */
async function loadPod(): Promise<void> {
  const containers = [
    { name: 'api', image: 'registry.example.com/api:v2.3.1' },
    { name: 'proxy', image: 'registry.example.com/proxy:1.0' },
  ];
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: POD, namespace: NS }, spec: { nodeName: 'node-a', initContainers: [{ name: 'migrate', image: 'registry.example.com/migrate:v2' }], containers } };
  expect((await send('POST', `/api/v1/namespaces/${NS}/pods`, JSON.stringify(pod))).status).toBe(201);
  const running = { running: { startedAt: '2025-06-01T10:00:00Z' } };
  const crashed = { terminated: { exitCode: 1, reason: 'Error', startedAt: '2025-06-01T09:58:00Z', finishedAt: '2025-06-01T09:59:00Z' } };
  const status = {
    phase: 'Running',
    initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 0, reason: 'Completed' } }, ready: true, restartCount: 0, image: 'm', imageID: '' }],
    containerStatuses: [
      { name: 'api', state: running, lastState: crashed, ready: true, restartCount: 1, image: containers[0]!.image, imageID: '' },
      { name: 'proxy', state: running, lastState: {}, ready: true, restartCount: 0, image: containers[1]!.image, imageID: '' },
    ],
  };
  const current = await f.get<Record<string, unknown>>(`/api/v1/namespaces/${NS}/pods/${POD}`);
  expect((await send('PUT', `/api/v1/namespaces/${NS}/pods/${POD}/status`, JSON.stringify({ ...current, status }))).status).toBe(200);
}

beforeAll(async () => {
  f = await startSim({ controllers: false });
  await send('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
  await loadPod();
});
afterAll(() => f.sim.stop());

describe('PUT /_sim/v1/namespaces/{ns}/pods/{pod}/log', () => {
  it('sets the current and previous logs that kubectl logs and kubectl logs --previous print', async () => {
    const res = await putLog('?container=api', 'Listening on :8080\nGET /healthz 200\nGET /orders 200\n');
    expect(await res.json()).toEqual({ namespace: NS, pod: POD, container: 'api', previous: false, lines: 3 });
    await putLog('?container=api&previous=true', 'Connecting to database db:5432\nError: connect ECONNREFUSED 10.96.0.12:5432');
    expect(await f.kubectl.ok('logs', POD, '-n', NS, '-c', 'api')).toBe('Listening on :8080\nGET /healthz 200\nGET /orders 200\n');
    expect(await f.kubectl.ok('logs', POD, '-n', NS, '-c', 'api', '--previous')).toBe('Connecting to database db:5432\nError: connect ECONNREFUSED 10.96.0.12:5432\n');
    expect(await f.kubectl.ok('logs', POD, '-n', NS, '-c', 'api', '--tail=1')).toBe('GET /orders 200\n');
    expect(await f.kubectl.ok('logs', POD, '-n', NS, '-c', 'api', '--limit-bytes=9')).toBe('Listening');
  });

  it('keeps the times of timestamped lines, as kubectl logs --timestamps prints them', async () => {
    await putLog('?container=proxy&timestamps=true', '2025-06-01T10:00:01.123456789Z proxy ready\n2025-06-01T10:00:02Z upstream api:8080 healthy\n');
    expect(await f.kubectl.ok('logs', POD, '-n', NS, '-c', 'proxy', '--timestamps')).toBe(
      '2025-06-01T10:00:01.123000000Z proxy ready\n2025-06-01T10:00:02.000000000Z upstream api:8080 healthy\n',
    );
  });

  it('serves init containers\' logs; a second PUT replaces the first', async () => {
    await putLog('?container=migrate', 'old');
    await putLog('?container=migrate', 'Batch 12 run: 2 migrations');
    expect(await f.kubectl.ok('logs', POD, '-n', NS, '-c', 'migrate')).toBe('Batch 12 run: 2 migrations\n');
  });

  it('refuses what the logs endpoint would refuse, and bad input', async () => {
    const missing = await send('PUT', `/_sim/v1/namespaces/${NS}/pods/nope/log`, 'x', 'text/plain');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(failureStatus(404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }));
    const ambiguous = await putLog('', 'x');
    expect(await ambiguous.json()).toEqual(failureStatus(400, 'BadRequest', `a container name must be specified for pod ${POD}, choose one of: [api proxy] or one of the init containers: [migrate]`));
    expect(await messageOf(await putLog('?container=db', 'x'))).toBe(`container db is not valid for pod ${POD}`);
    expect(await messageOf(await putLog('?container=api&previous=yes', 'x'))).toBe('invalid value for previous: "yes", expected true or false');
    expect(await messageOf(await putLog('?container=api&timestamps=true', 'no time here'))).toBe(
      'invalid log line 1: with timestamps=true every line must start with an RFC 3339 time and a space',
    );
  });

  it('forgets a pod\'s logs when the pod is deleted', async () => {
    await send('DELETE', `/api/v1/namespaces/${NS}/pods/${POD}`, '{}');
    expect((await putLog('?container=api', 'x')).status).toBe(404);
    await loadPod();
    expect(await f.kubectl.ok('logs', POD, '-n', NS, '-c', 'api')).toBe('');
  });
});
