import { describe, expect, it } from 'vitest';
import { SnapshotBuilder } from '../../../test/fixtures/snapshot-builder.js';
import { analyzeQuota, parseQuotaMessage } from './quota.js';

describe('parseQuotaMessage', () => {
  it('reads every exceeded resource', () => {
    expect(parseQuotaMessage('(combined from similar events): Error creating: pods "web-7854ff8877-x2k9q" is forbidden: exceeded quota: compute, requested: requests.cpu=1,requests.memory=2Gi, used: requests.cpu=3500m,requests.memory=3Gi, limited: requests.cpu=4,requests.memory=4Gi')).toEqual({
      quota: 'compute',
      requested: { 'requests.cpu': '1', 'requests.memory': '2Gi' },
      used: { 'requests.cpu': '3500m', 'requests.memory': '3Gi' },
      limited: { 'requests.cpu': '4', 'requests.memory': '4Gi' },
    });
  });

  it('reads "failed quota" (missing resource settings)', () => {
    expect(parseQuotaMessage('pods "web-7854ff8877-x2k9q" is forbidden: failed quota: compute: must specify limits.cpu for: nginx; limits.memory for: nginx')).toMatchObject({
      quota: 'compute',
      mustSpecify: 'must specify limits.cpu for: nginx; limits.memory for: nginx',
    });
  });

  it('ignores other FailedCreate reasons', () => {
    expect(parseQuotaMessage('pods "x" is forbidden: error looking up service account batch/runner: serviceaccount "runner" not found')).toBeUndefined();
  });
});

describe('analyzeQuota', () => {
  const batch = (reason: (pod: string) => string) =>
    new SnapshotBuilder('batch-processor', { namespace: 'batch' })
      .change((c) => void (c.resources = { requests: { cpu: '250m', memory: '2Gi' } }))
      .readyPods(1, 3)
      .failedCreate(reason, 4)
      .quota('compute-quota', { 'requests.memory': '4Gi', 'requests.cpu': '4' }, { 'requests.memory': '3Gi', 'requests.cpu': '750m' })
      .build();

  it('reports one finding per quota with the numbers, the event, the condition and the quota status', () => {
    const findings = analyzeQuota(batch((pod) => `pods "${pod}" is forbidden: exceeded quota: compute-quota, requested: requests.memory=2Gi, used: requests.memory=3Gi, limited: requests.memory=4Gi`));
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f!.title).toBe('Quota compute-quota exceeded: requests.memory');
    expect(f!.summary).toBe(
      'ReplicaSet batch-processor-6dc5b6999b cannot create pods (4 failed create attempts): quota compute-quota would be exceeded (requests.memory: 3Gi used + 2Gi requested > 4Gi). Raise the quota, lower the requests, or roll back.',
    );
    expect(f!.evidence.map((e) => e.kind)).toEqual(['event', 'condition', 'quota']);
    expect(f!.evidence[0]!.detail).toMatch(/^Warning FailedCreate: Error creating: pods "batch-processor-6dc5b6999b-\w{5}" is forbidden: exceeded quota: compute-quota/);
    expect(f!.evidence[2]).toEqual({ kind: 'quota', name: 'resourcequota/compute-quota', detail: 'requests.cpu: 750m/4, requests.memory: 3Gi/4Gi' });
    expect(f!.fixes.map((x) => x.kind)).toEqual(['rollback', 'manual']);
  });

  it('explains "failed quota" as missing resource settings', () => {
    const [f] = analyzeQuota(batch((pod) => `pods "${pod}" is forbidden: failed quota: compute-quota: must specify limits.memory for: batch-processor`));
    expect(f!.title).toBe('Quota compute-quota rejects pods without resource settings');
    expect(f!.summary).toContain('requires every container to declare resources (must specify limits.memory for: batch-processor)');
  });
});
