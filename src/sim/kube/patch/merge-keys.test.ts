import { describe, expect, it } from 'vitest';
import { listMergeKey } from './merge-keys.js';

describe('listMergeKey', () => {
  it.each([
    ['Deployment', 'spec.template.spec.containers', 'name'],
    ['Deployment', 'spec.template.spec.containers[].env', 'name'],
    ['ReplicaSet', 'spec.template.spec.initContainers[].volumeMounts', 'mountPath'],
    ['Pod', 'spec.ephemeralContainers[].ports', 'containerPort'],
    ['CronJob', 'spec.jobTemplate.spec.template.spec.volumes', 'name'],
    ['Service', 'spec.ports', 'port'],
    ['Node', 'status.addresses', 'type'],
    ['Node', 'spec.podCIDRs', ''],
    ['Widget', 'metadata.finalizers', ''],
    ['Widget', 'status.conditions', 'type'],
  ])('%s %s merges by %j', (kind, path, mergeKey) => {
    expect(listMergeKey(kind, path)).toBe(mergeKey);
  });

  it.each([
    ['Deployment', 'spec.template.spec.tolerations'],
    ['Deployment', 'spec.template.spec.containers[].envFrom'],
    ['Deployment', 'spec.containers'],
    ['Deployment', 'spec.ports'],
    ['Pod', 'status.containerStatuses'],
    ['Widget', 'spec.template.spec.containers'],
  ])('%s %s is atomic', (kind, path) => {
    expect(listMergeKey(kind, path)).toBeUndefined();
  });
});
