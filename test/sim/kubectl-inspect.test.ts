import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTable } from '../helpers/kubectl.js';
import { startSim, type SimFixture } from '../helpers/sim.js';

let f: SimFixture;
beforeAll(async () => {
  f = await startSim({ scenarios: 'all' });
});
afterAll(() => f.sim.stop());

const podOf = async (app: string, status: string) => {
  const rows = parseTable(await f.kubectl.ok('get', 'pods', '-n', 'production', '-l', `app=${app}`));
  const row = rows.find((r) => r.STATUS === status);
  if (!row) throw new Error(`no ${status} pod of ${app}: ${JSON.stringify(rows)}`);
  return row;
};

describe('kubectl against the simulator (runbook diagnosis steps)', () => {
  it('get deploy,rs,pods prints the columns a real cluster prints', async () => {
    const out = await f.kubectl.ok('get', 'deploy,rs,pods', '-n', 'production', '-l', 'app=api-server');
    expect(out).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    expect(out).toMatch(/^deployment\.apps\/api-server\s+3\/3\s+1\s+3\s+\d+m$/m);
    expect(out).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE$/m);
    expect(out).toMatch(/^replicaset\.apps\/api-server-[a-z0-9]+\s+1\s+1\s+0\s+\d+m$/m);
    expect(out).toMatch(/^replicaset\.apps\/api-server-[a-z0-9]+\s+3\s+3\s+3\s+\d+m$/m);
    expect(out).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    expect(out).toMatch(/^pod\/api-server-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+ImagePullBackOff\s+0\s+\d+m$/m);
    expect(out.match(/1\/1\s+Running\s+0/g)).toHaveLength(3);
  });

  it('shows each failure in the STATUS column', async () => {
    const rows = parseTable(await f.kubectl.ok('get', 'pods', '-A'));
    const statusOf = (prefix: string) => rows.filter((r) => r.NAME!.startsWith(prefix) && r.READY === '0/1').map((r) => r.STATUS);
    expect(statusOf('checkout-')).toEqual(['CrashLoopBackOff']);
    expect(statusOf('auth-service-')).toEqual(['CreateContainerConfigError']);
    expect(statusOf('notification-service-')).toEqual(['InvalidImageName']);
    expect(statusOf('analytics-worker-')).toEqual(['Pending']);
    expect(statusOf('payments-api-')).toEqual(['Running']);
    const oom = rows.find((r) => r.NAME!.startsWith('exchange-service-') && r.READY === '0/1')!;
    const last = await f.kubectl.ok('get', 'pod', oom.NAME!, '-n', 'forex-prod', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.reason}/{.status.containerStatuses[0].lastState.terminated.exitCode}');
    expect(last).toBe('OOMKilled/137');
    const crash = rows.find((r) => r.NAME!.startsWith('checkout-') && r.READY === '0/1')!;
    expect(crash.RESTARTS).toMatch(/^\d+ \(\d+s ago\)$/);
  });

  it('describe pod shows the state, the last termination and the events', async () => {
    const pod = await podOf('checkout', 'CrashLoopBackOff');
    const out = await f.kubectl.ok('describe', 'pod', pod.NAME!, '-n', 'production');
    expect(out).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    expect(out).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(out).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container checkout in pod checkout-/);
    expect(out).toMatch(/Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned production\/checkout-/);
    expect(out).toMatch(/\(x\d+ over [\dhm]+\)/);
  });

  it('describe pod of an image pull failure quotes the registry error', async () => {
    const pod = await podOf('api-server', 'ImagePullBackOff');
    const out = await f.kubectl.ok('describe', 'pod', pod.NAME!, '-n', 'production');
    expect(out).toContain(
      'Failed to pull image "registry.example.com/api-server:v2.0.1": rpc error: code = Unknown desc = Error response from daemon: manifest for registry.example.com/api-server:v2.0.1 not found',
    );
    expect(out).toMatch(/Warning\s+Failed\s+.*Error: ErrImagePull/);
    expect(out).toMatch(/Normal\s+BackOff\s+.*Back-off pulling image "registry.example.com\/api-server:v2.0.1"/);
  });

  it('get events --field-selector involvedObject.name lists only that pod', async () => {
    const pod = await podOf('orders-api', 'CrashLoopBackOff');
    const out = await f.kubectl.ok('get', 'events', '-n', 'production', '--field-selector', `involvedObject.name=${pod.NAME}`, '--sort-by=.lastTimestamp');
    const rows = parseTable(out);
    expect(rows.length).toBeGreaterThan(4);
    expect(new Set(rows.map((r) => r.OBJECT))).toEqual(new Set([`pod/${pod.NAME}`]));
    expect(rows.map((r) => r.REASON)).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started', 'BackOff']));
  });

  it('logs and logs --previous serve the crashing instance and the one before', async () => {
    const pod = await podOf('orders-api', 'CrashLoopBackOff');
    const previous = await f.kubectl.ok('logs', pod.NAME!, '-n', 'production', '--previous');
    expect(previous).toContain('Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local');
    const current = await f.kubectl.ok('logs', pod.NAME!, '-n', 'production', '--tail=1');
    expect(current.trim()).toBe('Error: getaddrinfo ENOTFOUND database-new.production.svc.cluster.local');
    const missing = await f.kubectl.ok('logs', 'deployment/checkout', '-n', 'production');
    expect(missing).toContain('Starting checkout v2.0.0');
  });

  it('logs of a container that never started give the kubelet\'s refusal', async () => {
    const pod = await podOf('api-server', 'ImagePullBackOff');
    const r = await f.kubectl.run('logs', pod.NAME!, '-n', 'production');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error from server (BadRequest): container "api-server" in pod "${pod.NAME}" is waiting to start: trying and failing to pull image`);
    const prev = await f.kubectl.run('logs', pod.NAME!, '-n', 'production', '--previous');
    expect(prev.stderr).toContain(`previous terminated container "api-server" in pod "${pod.NAME}" not found`);
  });

  it('answers unknown objects with the apiserver\'s NotFound', async () => {
    const r = await f.kubectl.run('get', 'deployment', 'nope', '-n', 'production');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });
});
