import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, livenessKilled, notReady, type PodState } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeDeployment } from './index.js';
import { analyzeProbes } from './probes.js';

const refused = (port: number) => (ip: string) => `Get "http://${ip}:${port}/healthz": dial tcp ${ip}:${port}: connect: connection refused`;

function catalogApi(state: PodState) {
  return new SnapshotBuilder('catalog-api')
    .base((c) => void ((c.readinessProbe!.httpGet!.port = 8080), (c.livenessProbe!.httpGet!.port = 8080)))
    .change((c) => void (c.ports = [{ name: 'http', containerPort: 3000 }]))
    .deadlineExceeded()
    .readyPods(1, 3)
    .newPods(1, state)
    .build();
}

function ledger(previousLogs: string[]) {
  return new SnapshotBuilder('ledger')
    .base((c) => void (c.livenessProbe!.initialDelaySeconds = 30))
    .change((c) => void (c.image = 'registry.example.com/ledger:v4.2.0'))
    .readyPods(1, 3)
    .newPods(1, livenessKilled(refused(8080), previousLogs))
    .build();
}

describe('analyzeProbes', () => {
  it('finds probes dialling a port the container no longer declares, and points them at the declared one', () => {
    const findings = analyzeDeployment(catalogApi(livenessKilled(refused(8080), ['Server listening on http://0.0.0.0:3000'])));
    expect(findings.map((f) => f.code)).toEqual(['PROBE_PORT_MISMATCH', 'LIVENESS_PROBE_FAILING', 'CRASH_LOOP', 'PROGRESS_DEADLINE_EXCEEDED']);
    const [f] = findings;
    expect(f!.title).toBe('catalog-api liveness and readiness probes dial port 8080, not 3000');
    expect(f!.summary).toContain('Revision 1 declared http=8080.');
    expect(f!.fixes.filter((x) => x.kind === 'set-probe')).toEqual([
      { kind: 'set-probe', title: 'Point the liveness probe at port 3000', container: 'catalog-api', probe: 'liveness', port: 3000 },
      { kind: 'set-probe', title: 'Point the readiness probe at port 3000', container: 'catalog-api', probe: 'readiness', port: 3000 },
    ]);
    // The app logged that it serves: the probe fails because of the port, not start-up time.
    expect(findings[1]!.fixes.map((x) => x.kind)).toEqual(['rollback']);
  });

  it('leaves an undeclared probe port alone while the probes pass', () => {
    const s = new SnapshotBuilder('catalog-api')
      .change((c) => void ((c.livenessProbe!.httpGet!.port = 9090), (c.readinessProbe!.httpGet!.port = 9090)))
      .readyPods(1, 3)
      .readyPods(2, 1)
      .build();
    expect(analyzeProbes(s)).toEqual([]);
  });

  it('treats a named probe port that does not resolve as a mismatch', () => {
    const s = new SnapshotBuilder('catalog-api')
      .change((c) => void (c.livenessProbe!.httpGet!.port = 'metrics'))
      .readyPods(1, 3)
      .newPods(1, livenessKilled(() => 'unable to find port "metrics" in container catalog-api', ['Listening on :8080']))
      .build();
    const [f] = analyzeProbes(s);
    expect(f!.code).toBe('PROBE_PORT_MISMATCH');
    expect(f!.title).toBe('catalog-api liveness probe dials port "metrics" (no such named port), not 8080');
  });

  it('sees a liveness probe that kills the app before it finished starting', () => {
    const findings = analyzeProbes(ledger(['Starting LedgerApplication v4.2.0 using Java 21', 'Warming up account index (this can take a while)']));
    expect(findings.map((f) => f.code)).toEqual(['LIVENESS_PROBE_FAILING']);
    const [f] = findings;
    expect(f!.title).toBe('ledger killed by its liveness probe during start-up');
    expect(f!.summary).toContain('the probe gives up after 50s and the log ends at "Warming up account index (this can take a while)"');
    expect(f!.fixes[0]).toEqual({ kind: 'set-probe', title: "Raise the liveness probe's initialDelaySeconds to 120", container: 'ledger', probe: 'liveness', initialDelaySeconds: 120 });
    const manual = f!.fixes.find((x) => x.kind === 'manual');
    expect(manual).toMatchObject({ title: 'Add a startupProbe allowing 120s for start-up' });
    expect(manual && 'command' in manual && manual.command).toContain('"startupProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"periodSeconds":10,"failureThreshold":12}');
  });

  it('does not call it a slow start when the app had logged that it was serving', () => {
    const [f] = analyzeProbes(ledger(['Started LedgerApplication in 20.1 seconds', 'Tomcat started on port 8080 (http)']));
    expect(f!.title).toBe('ledger failing its liveness probe');
    expect(f!.fixes.map((x) => x.kind)).toEqual(['rollback']);
  });

  it('reports a running container that never becomes ready, with what the app says', () => {
    const s = new SnapshotBuilder('payments-api')
      .base((c) => void (c.readinessProbe!.httpGet!.path = '/health/ready'))
      .change((c) => void (c.image = 'registry.example.com/payments-api:v7.3.0'))
      .readyPods(1, 3)
      .newPods(1, notReady('HTTP probe failed with statuscode: 500', ['Listening on :8080', 'WARN readiness check failed: fraud-scoring dependency degraded']))
      .build();
    const [f] = analyzeProbes(s);
    expect(f!.code).toBe('READINESS_PROBE_FAILING');
    expect(f!.title).toBe('payments-api readiness probe failing: HTTP probe failed with statuscode: 500');
    expect(f!.summary).toContain('The app logs: "WARN readiness check failed: fraud-scoring dependency degraded".');
    expect(f!.evidence[0]).toMatchObject({ kind: 'event', detail: 'Warning Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500 (x66)' });
  });

  it('ignores readiness failures of pods that are not of the current revision', () => {
    const unreadyOldPod = (b: SnapshotBuilder) => {
      const s = b.readyPods(1, 3).build();
      const pod = s.pods[0]!;
      Object.assign(pod.status!.containerStatuses![0]!, { ready: false });
      const message = 'Readiness probe failed: HTTP probe failed with statuscode: 503';
      s.events.push({ ...structuredClone(s.events[0]!), lastTimestamp: s.collectedAt, involvedObject: { kind: 'Pod', name: pod.metadata!.name, fieldPath: 'spec.containers{payments-api}' }, type: 'Warning', reason: 'Unhealthy', message });
      return s;
    };
    expect(analyzeProbes(unreadyOldPod(new SnapshotBuilder('payments-api')))).toHaveLength(1);
    expect(analyzeProbes(unreadyOldPod(new SnapshotBuilder('payments-api').change((c) => void (c.image = 'registry.example.com/payments-api:v2'))))).toEqual([]);
  });
});
