import { describe, expect, it } from 'vitest';
import { SnapshotBuilder, crashLoop, pullFailure, shuffled } from '../../../test/fixtures/snapshot-builder.js';
import { FINDING_CODES, MAX_EVIDENCE } from '../finding.js';
import { CODE_PRIORITY, analyzeDeployment } from './index.js';

const DNS = ['Error: getaddrinfo ENOTFOUND db-new'];

const ordersApi = (pods: number) =>
  new SnapshotBuilder('orders-api')
    .change((c) => void (c.image = 'registry.example.com/orders-api:v2'))
    .deadlineExceeded()
    .readyPods(1, 3)
    .newPods(pods, crashLoop(DNS));

describe('analyzeDeployment', () => {
  it('has a priority for every finding code, once', () => {
    expect([...CODE_PRIORITY].sort()).toEqual([...FINDING_CODES].sort());
  });

  it('ranks the cause first, the crash loop after it and the deadline last', () => {
    expect(analyzeDeployment(ordersApi(1).build()).map((f) => [f.code, f.severity])).toEqual([
      ['APP_CONFIG_DNS_ERROR', 'error'],
      ['CRASH_LOOP', 'error'],
      ['PROGRESS_DEADLINE_EXCEEDED', 'error'],
    ]);
  });

  it('makes causes critical when nothing is available, and keeps symptoms at error', () => {
    const findings = analyzeDeployment(ordersApi(1).unavailable().build());
    expect(findings.map((f) => [f.code, f.severity])).toEqual([
      ['APP_CONFIG_DNS_ERROR', 'critical'],
      ['CRASH_LOOP', 'error'],
      ['PROGRESS_DEADLINE_EXCEEDED', 'error'],
    ]);
    // No revision has available pods: the rollback target is the previous revision, flagged as unproven.
    expect(findings[0]!.fixes).toEqual([{ kind: 'rollback', title: 'Roll back to revision 1 (orders-api:v1.0.0), not known to be healthy', toRevision: 1 }]);
  });

  it('puts a lone deadline first', () => {
    const s = new SnapshotBuilder('api').change((c) => void (c.image = 'x:v2')).deadlineExceeded().unavailable().build();
    expect(analyzeDeployment(s).map((f) => [f.code, f.severity])).toEqual([['PROGRESS_DEADLINE_EXCEEDED', 'critical']]);
  });

  it('orders causes of the same severity by the priority table', () => {
    const s = new SnapshotBuilder('api')
      .change((c) => void (c.image = 'registry.example.com/api:v2'))
      .readyPods(1, 3)
      .newPods(1, crashLoop(DNS))
      .newPods(1, pullFailure('rpc error: code = Unknown desc = Error response from daemon: manifest for registry.example.com/api:v2 not found: manifest unknown: manifest unknown'))
      .build();
    expect(analyzeDeployment(s).map((f) => f.code)).toEqual(['IMAGE_TAG_NOT_FOUND', 'APP_CONFIG_DNS_ERROR', 'CRASH_LOOP']);
  });

  it('aggregates failing pods into one finding per cause', () => {
    const findings = analyzeDeployment(ordersApi(3).build());
    const dns = findings.filter((f) => f.code === 'APP_CONFIG_DNS_ERROR');
    expect(dns).toHaveLength(1);
    expect(dns[0]!.pods).toEqual(['orders-api-6dc5b6999b-6ggmn', 'orders-api-6dc5b6999b-qldq4', 'orders-api-6dc5b6999b-tk2x5']);
    expect(dns[0]!.summary).toContain('on 3 pods');
  });

  it('caps evidence and says how much was left out', () => {
    const crash = analyzeDeployment(ordersApi(8).build()).find((f) => f.code === 'CRASH_LOOP')!;
    // log + 8 pod statuses + the BackOff event
    expect(crash.evidence).toHaveLength(MAX_EVIDENCE);
    expect(crash.summary).toMatch(/\(5 more pieces of evidence not shown\.\)$/);
    expect(crash.pods).toHaveLength(8);
  });

  it('offers fixes the bot can carry out before manual instructions', () => {
    const s = new SnapshotBuilder('auth')
      .change((c) => void (c.env = [{ name: 'K', valueFrom: { secretKeyRef: { name: 'auth-jwt', key: 'k' } } }]))
      .readyPods(1, 3)
      .newPods(1, (p) => {
        p.pod.status!.phase = 'Pending';
        p.status({ state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "auth-jwt" not found' } } });
      })
      .build();
    expect(analyzeDeployment(s)[0]!.fixes.map((f) => f.kind)).toEqual(['rollback', 'manual']);
  });

  it('gives the same answer whatever order the API listed things in', () => {
    const s = ordersApi(4)
      .newPods(3, pullFailure('rpc error: code = Unknown desc = Error response from daemon: manifest for registry.example.com/orders-api:v2 not found: manifest unknown: manifest unknown'))
      .failedCreate((pod) => `pods "${pod}" is forbidden: exceeded quota: q, requested: pods=1, used: pods=10, limited: pods=10`, 5)
      .build();
    const expected = analyzeDeployment(s);
    for (const seed of [3, 5, 11, 19]) expect(analyzeDeployment(shuffled(s, seed))).toEqual(expected);
  });
});
