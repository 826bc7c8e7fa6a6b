import { describe, expect, it } from 'vitest';
import { OBJECT_META_CREATION_TIMESTAMP_DOC, OBJECT_META_NAME_DOC } from './columns.js';
import { tableFor, type KubeObject } from './index.js';

const now = new Date('2024-05-01T12:00:00Z');
const listMeta = { resourceVersion: '48213' };

const succeededPod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'db-migrate-28561920-bx7kq',
    namespace: 'shop',
    uid: '0b6f1f0e-5a57-4d3c-9b9e-3f7cbb0d1c11',
    resourceVersion: '48200',
    creationTimestamp: '2024-05-01T11:00:00Z',
    labels: { 'job-name': 'db-migrate-28561920' },
  },
  spec: { containers: [{ name: 'migrate', image: 'registry.example.com/shop/migrate:1.5.0' }], nodeName: 'worker-1' },
  status: {
    phase: 'Succeeded',
    containerStatuses: [
      { name: 'migrate', image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ],
  },
};

describe('tableFor', () => {
  it('builds a meta.k8s.io/v1 Table with PartialObjectMetadata rows by default (what kubectl asks for)', () => {
    const table = tableFor('pods', [succeededPod], { now, includeObject: 'Metadata', listMeta });
    expect(table.kind).toBe('Table');
    expect(table.apiVersion).toBe('meta.k8s.io/v1');
    expect(table.metadata).toEqual({ resourceVersion: '48213' });
    expect(table.columnDefinitions).toHaveLength(9);
    expect(table.rows).toEqual([
      {
        cells: ['db-migrate-28561920-bx7kq', '0/1', 'Completed', '0', '60m', '<none>', 'worker-1', '<none>', '<none>'],
        conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
        object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: succeededPod.metadata },
      },
    ]);
  });

  it('embeds the whole object for includeObject=Object and none for None', () => {
    const full = tableFor('pods', [succeededPod], { now, includeObject: 'Object', listMeta });
    expect(full.rows[0]?.object).toBe(succeededPod);
    const bare = tableFor('pods', [succeededPod], { now, includeObject: 'None', listMeta });
    expect(bare.rows[0]).not.toHaveProperty('object');
  });

  it('serialises column definitions with every field, as Go does', () => {
    const table = tableFor('configmaps', [], { now, includeObject: 'None', listMeta });
    expect(JSON.stringify(table.columnDefinitions[0])).toBe(
      JSON.stringify({ name: 'Name', type: 'string', format: 'name', description: OBJECT_META_NAME_DOC, priority: 0 }),
    );
    expect(table.rows).toEqual([]);
  });

  it('carries paging metadata and omits what Go leaves out', () => {
    const paged = tableFor('pods', [], {
      now,
      includeObject: 'Metadata',
      listMeta: { resourceVersion: '48213', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ', remainingItemCount: 0 },
    });
    expect(paged.metadata).toEqual({ resourceVersion: '48213', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ', remainingItemCount: 0 });
    const single = tableFor('pods', [], { now, includeObject: 'Metadata', listMeta: { resourceVersion: '', continue: '' } });
    expect(single.metadata).toEqual({});
  });

  it('falls back to the apiserver default table: NAME and an RFC3339 CREATED AT', () => {
    const role: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'view', creationTimestamp: '2024-01-15T09:00:00Z' },
    };
    const table = tableFor('clusterroles', [role, { metadata: { name: 'pending' } }], { now, includeObject: 'Metadata', listMeta });
    expect(table.columnDefinitions).toEqual([
      { name: 'Name', type: 'string', format: 'name', description: OBJECT_META_NAME_DOC, priority: 0 },
      { name: 'Created At', type: 'date', format: '', description: OBJECT_META_CREATION_TIMESTAMP_DOC, priority: 0 },
    ]);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['view', '2024-01-15T09:00:00Z'],
      ['pending', '0001-01-01T00:00:00Z'],
    ]);
  });

  it('prints namespaces, configmaps, secrets and leases', () => {
    const cells = (resource: string, obj: KubeObject) =>
      tableFor(resource, [obj], { now, includeObject: 'None', listMeta }).rows[0]?.cells;
    const created = '2024-05-01T11:59:00Z';
    expect(cells('namespaces', { metadata: { name: 'shop', creationTimestamp: created }, status: { phase: 'Terminating' } })).toEqual([
      'shop',
      'Terminating',
      '60s',
    ]);
    expect(
      cells('configmaps', {
        metadata: { name: 'checkout-config', creationTimestamp: created },
        data: { 'app.yaml': 'port: 8080', LOG_LEVEL: 'info' },
        binaryData: { 'ca.der': 'MAo=' },
      }),
    ).toEqual(['checkout-config', 3, '60s']);
    expect(
      cells('secrets', {
        metadata: { name: 'checkout-db', creationTimestamp: created },
        type: 'kubernetes.io/basic-auth',
        data: { username: 'c2hvcA==', password: 'aHVudGVyMg==' },
        stringData: { password: 'hunter2', host: 'db.shop.svc' },
      }),
    ).toEqual(['checkout-db', 'kubernetes.io/basic-auth', 3, '60s']);
    expect(
      cells('leases', {
        metadata: { name: 'kube-controller-manager', namespace: 'kube-system', creationTimestamp: '2024-01-15T09:00:00Z' },
        spec: { holderIdentity: 'cp-1_7c1e4a0e-2b9f-4f55-8c2d-9d3e1b7a6f10', leaseDurationSeconds: 15 },
      }),
    ).toEqual(['kube-controller-manager', 'cp-1_7c1e4a0e-2b9f-4f55-8c2d-9d3e1b7a6f10', '107d']);
    expect(cells('leases', { metadata: { name: 'unheld' } })).toEqual(['unheld', '', '<unknown>']);
  });
});
